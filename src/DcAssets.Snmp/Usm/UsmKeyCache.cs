using System.Collections.Concurrent;

namespace DcAssets.Snmp.Usm;

/// <summary>
/// Caches password-to-key results (1 MiB of hashing each) per user and localized keys per engine,
/// so only the first request to a new engine pays for them.
/// </summary>
public sealed class UsmKeyCache
{
    private readonly ConcurrentDictionary<(AuthProtocol, string), byte[]> _ku = new();
    private readonly ConcurrentDictionary<(UsmUser, string), LocalizedKeys> _localized = new();

    public LocalizedKeys Get(UsmUser user, byte[] engineId)
    {
        if (user.Auth == AuthProtocol.None) return LocalizedKeys.None;
        return _localized.GetOrAdd((user, Convert.ToHexString(engineId)), k =>
        {
            var authKu = Ku(k.Item1.Auth, k.Item1.AuthPassword!);
            var privKu = k.Item1.Priv == PrivProtocol.None ? null : Ku(k.Item1.Auth, k.Item1.PrivPassword!);
            return UsmCrypto.LocalizeUser(k.Item1, engineId, authKu, privKu);
        });
    }

    private byte[] Ku(AuthProtocol p, string password) =>
        _ku.GetOrAdd((p, password), k => UsmCrypto.PasswordToKey(k.Item1, k.Item2));
}

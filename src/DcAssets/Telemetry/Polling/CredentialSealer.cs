using System.Security.Cryptography;
using System.Text;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Seals SNMPv3 passwords before they enter an event: AES-256-GCM under a key that lives outside the
/// database (like the seal key: a file or an environment variable), bound to the asset id so a sealed
/// password copied to another device's configuration does not open.
/// </summary>
public sealed class CredentialSealer
{
    public const string KeyVariable = "DCASSETS_CREDENTIAL_KEY", KeyFileVariable = "DCASSETS_CREDENTIAL_KEY_FILE";
    private const string Prefix = "v1:";
    private readonly byte[] _key;

    public CredentialSealer(byte[] key)
    {
        if (key.Length < 32) throw new ArgumentException("a credential key needs at least 32 bytes");
        // Derived, so the same secret material can never be used as both seal key and credential key by accident.
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: "dcassets telemetry credentials"u8.ToArray());
    }

    /// <summary>
    /// From DCASSETS_CREDENTIAL_KEY_FILE (the file's bytes) or DCASSETS_CREDENTIAL_KEY (its UTF-8 text); null when
    /// neither is set.
    /// </summary>
    public static CredentialSealer? FromEnvironment()
    {
        var file = Environment.GetEnvironmentVariable(KeyFileVariable);
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
                throw new InvalidOperationException($"{KeyFileVariable} names '{file}', which does not exist");
            return new CredentialSealer(File.ReadAllBytes(file));
        }
        var text = Environment.GetEnvironmentVariable(KeyVariable);
        return string.IsNullOrEmpty(text) ? null : new CredentialSealer(Encoding.UTF8.GetBytes(text));
    }

    public string Seal(string assetId, string password)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(password);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var gcm = new AesGcm(_key, 16);
        gcm.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(assetId));
        return Prefix + Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Open(string assetId, string sealedPassword)
    {
        if (!sealedPassword.StartsWith(Prefix, StringComparison.Ordinal))
            throw new CryptographicException("not a sealed credential");
        var bytes = Convert.FromBase64String(sealedPassword[Prefix.Length..]);
        if (bytes.Length < 28) throw new CryptographicException("sealed credential is truncated");
        var plain = new byte[bytes.Length - 28];
        using var gcm = new AesGcm(_key, 16);
        gcm.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain,
            Encoding.UTF8.GetBytes(assetId));
        return Encoding.UTF8.GetString(plain);
    }
}

/// <summary>
/// The node's credential key as a service a handler is given; there may be none, and then SNMPv3 passwords are
/// refused rather than stored in the clear.
/// </summary>
public sealed record CredentialKey(CredentialSealer? Sealer)
{
    public static CredentialKey FromEnvironment() => new(CredentialSealer.FromEnvironment());
}

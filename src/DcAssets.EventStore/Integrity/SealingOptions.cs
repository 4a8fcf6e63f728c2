using System.Security.Cryptography;
using System.Text;

namespace DcAssets.EventStore.Integrity;

/// <summary>
/// How the global hash chain is sealed: HMAC-SHA256 with a key that lives outside the database
/// (a file or an environment variable), so whoever can write the tables still cannot forge a seal.
/// </summary>
public sealed record SealingOptions
{
    public const string KeyVariable = "DCASSETS_SEAL_KEY", KeyFileVariable = "DCASSETS_SEAL_KEY_FILE";

    public SealingOptions(byte[] key)
    {
        if (key.Length < 32) throw new ArgumentException("a seal key needs at least 32 bytes");
        Key = key;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key))[..12];
    }

    public byte[] Key { get; }

    /// <summary>Names the key without revealing it; stored beside each seal so a rotated key is recognised.</summary>
    public string KeyId { get; }

    public int EveryEvents { get; init; } = 1000;
    public TimeSpan Every { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>From DCASSETS_SEAL_KEY_FILE (the file's bytes) or DCASSETS_SEAL_KEY (its UTF-8 text); null when neither is set.</summary>
    public static SealingOptions? FromEnvironment()
    {
        var file = Environment.GetEnvironmentVariable(KeyFileVariable);
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file)) throw new InvalidOperationException($"{KeyFileVariable} names '{file}', which does not exist");
            return new SealingOptions(File.ReadAllBytes(file));
        }
        var text = Environment.GetEnvironmentVariable(KeyVariable);
        return string.IsNullOrEmpty(text) ? null : new SealingOptions(Encoding.UTF8.GetBytes(text));
    }
}

using System.Text;

namespace DcAssets;

/// <summary>
/// How the history is sealed: HMAC-SHA256 with a key that lives outside the database (a file or an environment
/// variable), so whoever can write the tables still cannot forge a seal; and how often.
/// </summary>
public sealed record SealingOptions
{
    public const string KeyVariable = "DCASSETS_SEAL_KEY", KeyFileVariable = "DCASSETS_SEAL_KEY_FILE";

    public SealingOptions(byte[] key) => Key = new Integrity.SealKey(key);

    public Integrity.SealKey Key { get; }

    public int EveryEvents { get; init; } = 1000;
    public TimeSpan Every { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// From DCASSETS_SEAL_KEY_FILE (the file's bytes) or DCASSETS_SEAL_KEY (its UTF-8 text); null when neither is set.
    /// </summary>
    public static SealingOptions? FromEnvironment()
    {
        var file = Environment.GetEnvironmentVariable(KeyFileVariable);
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
                throw new InvalidOperationException($"{KeyFileVariable} names '{file}', which does not exist");
            return new SealingOptions(File.ReadAllBytes(file));
        }
        var text = Environment.GetEnvironmentVariable(KeyVariable);
        return string.IsNullOrEmpty(text) ? null : new SealingOptions(Encoding.UTF8.GetBytes(text));
    }
}

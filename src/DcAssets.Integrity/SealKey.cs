using System.Security.Cryptography;

namespace DcAssets.Integrity;

/// <summary>
/// The secret the seals are signed with. It is given by the caller (a file, a secret store) and never
/// written to the database: whoever can write the tables still cannot sign a seal.
/// </summary>
public sealed class SealKey
{
    public SealKey(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 32) throw new ArgumentException("a seal key needs at least 32 bytes", nameof(bytes));
        Bytes = bytes.ToArray();
        Id = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
    }

    internal byte[] Bytes { get; }

    /// <summary>Names the key without revealing it; stored with each seal to tell another key's apart.</summary>
    public string Id { get; }
}

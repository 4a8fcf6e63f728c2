using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DcAssets.EventStore.Hashing;

namespace DcAssets.EventStore.Integrity;

/// <summary>
/// The global chain folds every event's stream hash, in position order, with its position:
/// <c>G = SHA-256(G_prev ‖ int8 position ‖ event hash)</c>. Binding the position means an event
/// moved, removed or slipped in anywhere changes every later link.
/// </summary>
public static class GlobalChain
{
    public static byte[] Step(ReadOnlySpan<byte> previous, long position, ReadOnlySpan<byte> eventHash) =>
        EventDigest.Chain(previous, position, eventHash); // the same link as a stream's, numbered by position

    /// <summary>
    /// HMAC-SHA256 over everything a seal states, so no field can be changed without the key. Seals
    /// are numbered from 1 and each signs its predecessor's signature: a deleted seal leaves a gap in
    /// the numbers, and no seal can be moved, replaced or renumbered without the key.
    /// </summary>
    public static byte[] Sign(byte[] key, long sealNo, long upTo, byte[] digest, long count, DateTimeOffset sealedAt, string keyId, byte[] previousSignature)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"dcassets-seal-v2|{sealNo}|{upTo}|{Convert.ToHexStringLower(digest)}|{count}|{EventDigest.ToUnixMicros(sealedAt)}|{keyId}|{Convert.ToHexStringLower(previousSignature)}");
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The first seals' form (unnumbered, unchained); only checked for seals written before numbering.</summary>
    public static byte[] SignUnnumbered(byte[] key, long upTo, byte[] digest, long count, DateTimeOffset sealedAt, string keyId)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"dcassets-seal-v1|{upTo}|{Convert.ToHexStringLower(digest)}|{count}|{EventDigest.ToUnixMicros(sealedAt)}|{keyId}");
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));
    }
}

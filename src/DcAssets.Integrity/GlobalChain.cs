using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DcAssets.Integrity;

/// <summary>
/// The global chain folds every event's stream hash in sequence order, bound to its sequence number:
/// <c>G = SHA-256(G_prev ‖ int8 seq ‖ event hash)</c>. An event moved, removed or slipped into a gap
/// anywhere changes every later link, which a signed seal then no longer matches.
/// </summary>
internal static class GlobalChain
{
    public static byte[] Step(ReadOnlySpan<byte> previous, long seq, ReadOnlySpan<byte> eventHash)
    {
        Span<byte> buffer = stackalloc byte[previous.Length + 8 + eventHash.Length];
        previous.CopyTo(buffer);
        BinaryPrimitives.WriteInt64BigEndian(buffer[previous.Length..], seq);
        eventHash.CopyTo(buffer[(previous.Length + 8)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>
    /// HMAC-SHA256 over every field a seal states, its number and its predecessor's signature: no field can
    /// change, and no seal be dropped, moved or replaced, without the key.
    /// </summary>
    public static byte[] Sign(SealKey key, Seal seal)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"integrity-seal-v1|{seal.No}|{seal.FromSeq}|{seal.UpToSeq}|{seal.EventCount}|" +
            $"{Convert.ToHexStringLower(seal.ChainHead)}|{Convert.ToHexStringLower(seal.PreviousSignature)}|" +
            $"{seal.SealedAt.ToUnixTimeMilliseconds()}|{seal.KeyId}");
        return HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes(text));
    }
}

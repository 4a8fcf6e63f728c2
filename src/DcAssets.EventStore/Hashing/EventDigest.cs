using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DcAssets.EventStore.Hashing;

/// <summary>
/// The hash of one event's content. The stream chain is then, per event,
/// <c>hash = SHA-256(previous hash ‖ int8 version ‖ digest)</c>, computed by the database at
/// append (append_to_stream) so that the chain follows the version the row lock decided.
/// </summary>
public static class EventDigest
{
    public static byte[] Compute(string streamId, string type, ReadOnlySpan<byte> canonicalData, ReadOnlySpan<byte> canonicalMetadata, DateTimeOffset recordedAt)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Field(h, Encoding.UTF8.GetBytes(streamId));
        Field(h, Encoding.UTF8.GetBytes(type));
        Field(h, canonicalData);
        Field(h, canonicalMetadata);
        Span<byte> micros = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(micros, ToUnixMicros(recordedAt));
        h.AppendData(micros);
        return h.GetHashAndReset();
    }

    /// <summary>The step the database takes per event; verify repeats it.</summary>
    public static byte[] Chain(ReadOnlySpan<byte> previous, long version, ReadOnlySpan<byte> digest)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(previous);
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(v, version);
        h.AppendData(v);
        h.AppendData(digest);
        return h.GetHashAndReset();
    }

    public static long ToUnixMicros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10;

    // Length-prefixed so that no two field splits give the same bytes.
    private static void Field(IncrementalHash h, ReadOnlySpan<byte> bytes)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, bytes.Length);
        h.AppendData(len);
        h.AppendData(bytes);
    }
}

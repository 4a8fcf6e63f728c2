using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DcAssets.EventStore.Hashing;

/// <summary>
/// The hash of one event's content, over the exact bytes the json columns keep. The stream chain
/// is then, per event, <c>hash = SHA-256(previous hash ‖ int8 version ‖ digest)</c>, extended under
/// the stream's row lock (by SQL for statement appends, here for bulk ones), so it follows the
/// version order exactly.
/// </summary>
public static class EventDigest
{
    public static byte[] Compute(string streamId, string type, ReadOnlySpan<byte> data, ReadOnlySpan<byte> metadata, DateTimeOffset recordedAt)
    {
        var size = 16 + Encoding.UTF8.GetByteCount(streamId) + Encoding.UTF8.GetByteCount(type) + data.Length + metadata.Length + 8;
        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var span = rented.AsSpan(0, size);
            var at = 0;
            at = Field(span, at, Encoding.UTF8.GetBytes(streamId));
            at = Field(span, at, Encoding.UTF8.GetBytes(type));
            at = Field(span, at, data);
            at = Field(span, at, metadata);
            BinaryPrimitives.WriteInt64BigEndian(span[at..], ToUnixMicros(recordedAt));
            return SHA256.HashData(span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The step the database takes per event; verify repeats it.</summary>
    public static byte[] Chain(ReadOnlySpan<byte> previous, long version, ReadOnlySpan<byte> digest)
    {
        Span<byte> buffer = stackalloc byte[previous.Length + 8 + digest.Length];
        previous.CopyTo(buffer);
        BinaryPrimitives.WriteInt64BigEndian(buffer[previous.Length..], version);
        digest.CopyTo(buffer[(previous.Length + 8)..]);
        return SHA256.HashData(buffer);
    }

    public static long ToUnixMicros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10;

    // Length-prefixed so that no two field splits give the same bytes.
    private static int Field(Span<byte> span, int at, ReadOnlySpan<byte> bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(span[at..], bytes.Length);
        bytes.CopyTo(span[(at + 4)..]);
        return at + 4 + bytes.Length;
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DcAssets.Integrity;

/// <summary>
/// An event as stored, in the fields the chain covers. jsonb columns are held in PostgreSQL's text output
/// of them, the only form that is stable: stored jsonb is not byte-equal to what the client sent.
/// </summary>
internal sealed record StoredEvent(
    long Seq, string StreamId, long Version, Guid Id, string Type, DateTimeOffset Timestamp, string? TenantId,
    string Data, byte[]? BinaryData, string? Headers, string? CorrelationId, string? CausationId, string? UserName);

/// <summary>
/// The canonical form and its hash, computed in C# exactly as the trigger computes it in SQL
/// (see <see cref="IntegritySchema"/>): each text as int4 length and UTF-8 bytes (length -1 for null),
/// integers as int8 big-endian, the timestamp as microseconds since the Unix epoch.
/// </summary>
internal static class CanonicalEvent
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary><c>SHA-256(previous ‖ canonical event)</c>; previous is empty for a stream's first event.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> previous, StoredEvent e)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        Text(sha, e.StreamId);
        Int8(sha, e.Version);
        Text(sha, e.Id.ToString("D"));
        Text(sha, e.Type);
        Int8(sha, (e.Timestamp.UtcTicks - UnixEpochTicks) / 10); // PostgreSQL keeps microseconds: exact
        Text(sha, e.TenantId);
        Text(sha, e.Data);
        Bytes(sha, e.BinaryData);
        Text(sha, e.Headers);
        Text(sha, e.CorrelationId);
        Text(sha, e.CausationId);
        Text(sha, e.UserName);
        return sha.GetHashAndReset();
    }

    private static void Text(IncrementalHash sha, string? value) =>
        Bytes(sha, value is null ? null : Encoding.UTF8.GetBytes(value));

    private static void Bytes(IncrementalHash sha, byte[]? value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value?.Length ?? -1);
        sha.AppendData(length);
        if (value is not null) sha.AppendData(value);
    }

    private static void Int8(IncrementalHash sha, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        sha.AppendData(bytes);
    }
}

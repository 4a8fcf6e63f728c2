using Npgsql;

namespace DcAssets.Integrity;

/// <summary>
/// A numbered seal: the global chain's head after <see cref="UpToSeq"/>, the number of events in
/// <see cref="FromSeq"/>..<see cref="UpToSeq"/>, and the predecessor's signature, all signed.
/// </summary>
public sealed record Seal(
    long No, long FromSeq, long UpToSeq, long EventCount, byte[] ChainHead, byte[] PreviousSignature,
    DateTimeOffset SealedAt, string KeyId, byte[] Signature)
{
    internal const string Columns =
        "seal_no, from_seq, up_to_seq, event_count, chain_head, previous_signature, sealed_at, key_id, signature";

    internal static Seal Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), (byte[])r[4], (byte[])r[5],
            r.GetFieldValue<DateTimeOffset>(6), r.GetString(7), (byte[])r[8]);

    internal static async Task<List<Seal>> LoadAsync(NpgsqlConnection conn, string schema, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select {Columns} from {schema}.{Names.Seals} order by seal_no", conn);
        var seals = new List<Seal>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) seals.Add(Read(r));
        return seals;
    }
}

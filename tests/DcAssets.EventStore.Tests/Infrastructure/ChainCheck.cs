using System.Text;
using DcAssets.EventStore.Hashing;

namespace DcAssets.EventStore.Tests.Infrastructure;

/// <summary>Recomputes a stream's hash chain from the rows as stored and compares every link.</summary>
public static class ChainCheck
{
    public static async Task<int> AssertStreamAsync(EventStore store, string streamId)
    {
        var previous = Array.Empty<byte>();
        var count = 0;
        await using var cmd = store.DataSource.CreateCommand(
            $"select type, data::text, metadata::text, recorded_at, version, hash from {store.Schema}.events where stream_id = $1 order by version");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = streamId });
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var version = r.GetInt64(4);
            version.Should().Be(++count, "versions have no gaps");
            var digest = EventDigest.Compute(streamId, r.GetString(0), Encoding.UTF8.GetBytes(r.GetString(1)),
                Encoding.UTF8.GetBytes(r.GetString(2)), r.GetFieldValue<DateTimeOffset>(3));
            var expected = EventDigest.Chain(previous, version, digest);
            ((byte[])r[5]).Should().Equal(expected, $"{streamId} version {version} must chain from the one before");
            previous = expected;
        }
        return count;
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace DcAssets.EventStore.Projections;

/// <summary>
/// Transaction-scoped advisory locks on documents, keyed (table, id) by stable hashes so every node
/// agrees. Keys are taken in ascending order, so two writers touching the same documents queue
/// instead of deadlocking; a hash collision only makes two documents queue together.
/// </summary>
internal static class DocumentLocks
{
    public static NpgsqlBatchCommand Take(string table, IEnumerable<string> ids)
    {
        var keys = ids.Select(Key).Distinct().Order().ToArray();
        // unnest keeps the array's order, so the locks are taken in it.
        var cmd = new NpgsqlBatchCommand("select pg_advisory_xact_lock($1, k) from unnest($2::int4[]) as k");
        cmd.Parameters.Add(new NpgsqlParameter { Value = Key("doc:" + table) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys });
        return cmd;
    }

    private static int Key(string s) => BinaryPrimitives.ReadInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
}

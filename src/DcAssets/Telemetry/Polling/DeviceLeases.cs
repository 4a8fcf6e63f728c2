using Npgsql;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Which node polls which device, decided in PostgreSQL. Every node heartbeats a row; among the live
/// nodes each device prefers one by rendezvous hashing (so devices spread and move little when a node
/// joins or leaves), and a node polls only the devices whose lease row it holds. A lease is taken only
/// when free, expired or already ours, so two nodes never hold one device; a stopped node's leases
/// expire after the TTL and its devices then prefer the survivors. The TTL is given on each refresh:
/// the poller derives it from the shortest interval it polls (<see cref="PollerOptions.TtlFor"/>).
/// </summary>
public sealed class DeviceLeases(PollerTables tables, string nodeId)
{
    private string Nodes => tables.Nodes;
    private string Leases => tables.Leases;

    public string NodeId => nodeId;

    /// <summary>
    /// Heartbeats, gives up devices another live node prefers, renews or takes the rest; returns the devices held.
    /// </summary>
    public async Task<IReadOnlySet<string>> RefreshAsync(IReadOnlyCollection<string> devices, TimeSpan ttl,
        CancellationToken ct)
    {
        await using var conn = await tables.DataSource.OpenConnectionAsync(ct);
        var ttlSeconds = ttl.TotalSeconds;
        List<string> live = [];
        await using (var hb = new NpgsqlCommand(
            $"""
            insert into {Nodes} (node, seen_at) values (@node, now()) on conflict (node) do update set seen_at = now();
            select node from {Nodes} where seen_at > now() - make_interval(secs => @ttl);
            """, conn))
        {
            hb.Parameters.AddWithValue("node", nodeId);
            hb.Parameters.AddWithValue("ttl", ttlSeconds);
            await using var r = await hb.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) live.Add(r.GetString(0));
        }
        if (!live.Contains(nodeId)) live.Add(nodeId);
        var mine = devices.Where(d => Preferred(d, live) == nodeId).ToArray();

        var held = new HashSet<string>(StringComparer.Ordinal);
        await using var claim = new NpgsqlCommand(
            $"""
            delete from {Leases} where node = @node and not (device = any(@mine));
            insert into {Leases} as l (device, node, expires_at)
            select d, @node, now() + make_interval(secs => @ttl) from unnest(@mine) as d
            on conflict (device) do update set node = excluded.node, expires_at = excluded.expires_at
             where l.node = excluded.node or l.expires_at < now()
            returning device;
            """, conn);
        claim.Parameters.AddWithValue("node", nodeId);
        claim.Parameters.AddWithValue("mine", mine);
        claim.Parameters.AddWithValue("ttl", ttlSeconds);
        await using (var r = await claim.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) held.Add(r.GetString(0));
        return held;
    }

    /// <summary>A clean stop hands the devices over at once instead of after the TTL.</summary>
    public async Task ReleaseAllAsync(CancellationToken ct)
    {
        await using var cmd = tables.DataSource.CreateCommand(
            $"delete from {Leases} where node = @node; delete from {Nodes} where node = @node;");
        cmd.Parameters.AddWithValue("node", nodeId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Rendezvous (highest random weight) hashing with a hash that is the same in every process.</summary>
    public static string Preferred(string device, IReadOnlyList<string> nodes)
    {
        string best = nodes[0];
        ulong bestWeight = 0;
        foreach (var n in nodes)
        {
            var w = Fnv1a(device + "\u0000" + n);
            if (w > bestWeight || (w == bestWeight && string.CompareOrdinal(n, best) < 0)) { best = n; bestWeight = w; }
        }
        return best;
    }

    private static ulong Fnv1a(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s) { h ^= c; h *= 1099511628211UL; }
        // FNV alone clusters on similar strings; a final avalanche (splitmix64) spreads the weights.
        h ^= h >> 30; h *= 0xbf58476d1ce4e5b9UL; h ^= h >> 27; h *= 0x94d049bb133111ebUL; h ^= h >> 31;
        return h;
    }
}

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// The devices are shared out among the nodes in a fixed number of poll groups, each held by one node at a time
/// (the host's messaging layer assigns them). A fixed set, not one per device, so a device configured a moment ago
/// is polled at once by whichever node holds its group, and the set of things to share never changes.
/// </summary>
public static class PollGroups
{
    public const int Count = 16;

    public static IEnumerable<int> All => Enumerable.Range(0, Count);

    /// <summary>The group of a device: a hash that is the same in every process and every run.</summary>
    public static int Of(string assetId) => (int)(Fnv1a(assetId) % Count);

    private static ulong Fnv1a(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s) { h ^= c; h *= 1099511628211UL; }
        // FNV alone clusters on similar names (ups-1, ups-2, ...); a final avalanche (splitmix64) spreads them.
        h ^= h >> 30; h *= 0xbf58476d1ce4e5b9UL; h ^= h >> 27; h *= 0x94d049bb133111ebUL; h ^= h >> 31;
        return h;
    }
}

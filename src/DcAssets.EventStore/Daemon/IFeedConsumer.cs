using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>What the daemon runs: something that folds feed pages inside the transaction that records its progress.</summary>
public interface IFeedConsumer
{
    string Name { get; }

    /// <summary>Whether this consumer needs the data of events stored under <paramref name="typeName"/>.</summary>
    bool WantsData(string typeName);

    /// <summary>Whether this consumer folds the events' chain hashes; the others are spared reading them.</summary>
    bool WantsHashes => false;

    /// <summary>Rebuilding replays into a shadow table; consumers without one cannot be rebuilt.</summary>
    Projections.DocumentTable? Table { get; }

    /// <summary>Applies a page (possibly empty, on idle ticks) into <paramref name="table"/> within <paramref name="tx"/>.</summary>
    Task ApplyAsync(IReadOnlyList<FeedEvent> page, NpgsqlConnection conn, NpgsqlTransaction tx, string? table, CancellationToken ct);
}

/// <summary>A consumer whose CPU work on a page (parsing) can run while the previous page is being written.</summary>
public interface IParsesAhead
{
    void ParseAhead(IReadOnlyList<FeedEvent> page);
}

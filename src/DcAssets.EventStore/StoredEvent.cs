namespace DcAssets.EventStore;

/// <summary>An event as read back: its payload and where it stands in its stream and in the store.</summary>
public sealed record StoredEvent(
    long Position,
    string StreamId,
    long Version,
    string TypeName,
    object Data,
    EventMetadata Metadata,
    DateTimeOffset RecordedAt)
{
    public Type EventType => Data.GetType();
}

/// <summary>Where one appended event landed.</summary>
public readonly record struct AppendedEvent(string StreamId, long Version, long Position);

/// <summary>What SaveChanges did: the appended events, or — for a repeated idempotency key — the original ones.</summary>
public sealed record SaveResult(IReadOnlyList<AppendedEvent> Events, bool WasDuplicate)
{
    public static readonly SaveResult Empty = new([], false);
    public long? LastPosition => Events.Count == 0 ? null : Events.Max(e => e.Position);
}

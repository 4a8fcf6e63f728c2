using DcAssets.EventStore.Projections;
using DcAssets.EventStore.Storage;

namespace DcAssets.EventStore;

/// <summary>
/// A unit of work: events appended to any number of streams are written by
/// <see cref="SaveChangesAsync"/> in one transaction, together with the inline projections.
/// </summary>
public sealed class EventSession : QuerySession
{
    private readonly EventOperations _ops;

    internal EventSession(EventStore store, Actor actor) : base(store)
    {
        Actor = actor;
        CorrelationId = actor.CorrelationId ?? Guid.NewGuid().ToString("N");
        base.Events = _ops = new EventOperations(store);
    }

    public Actor Actor { get; }
    public string CorrelationId { get; }

    /// <summary>The command or event this save reacts to.</summary>
    public string? CausationId { get; set; }

    /// <summary>When set, a second save with the same key appends nothing and returns the first save's positions.</summary>
    public string? IdempotencyKey { get; set; }

    public new EventOperations Events => _ops;

    public Task<SaveResult> SaveChangesAsync(CancellationToken ct = default)
    {
        if (_ops.Pending.Count == 0 && _ops.Archives.Count == 0) return Task.FromResult(SaveResult.Empty);
        var metadata = new EventMetadata
        {
            ActorId = Actor.Id, ActorName = Actor.Name, Role = Actor.Role, Source = Actor.Source,
            ClientAddress = Actor.ClientAddress, CorrelationId = CorrelationId, CausationId = CausationId,
            IdempotencyKey = IdempotencyKey,
        };
        var write = AppendWrite.Prepare(Store, _ops.Pending.Values, _ops.Archives, metadata, IdempotencyKey);
        return Errors.Guard(async () =>
        {
            var result = await write.ExecuteAsync(ct);
            _ops.Clear();
            if (!result.WasDuplicate && result.Events.Count > 0) Store.Notifier.Signal();
            return result;
        });
    }
}

/// <summary>Stream reads plus the pending appends of one session.</summary>
public sealed class EventOperations : EventReader
{
    internal EventOperations(EventStore store) : base(store) { }

    internal Dictionary<string, PendingStream> Pending { get; } = new(StringComparer.Ordinal);
    internal HashSet<string> Archives { get; } = new(StringComparer.Ordinal);

    /// <summary>Starts a new stream; saving fails with a concurrency error if it already exists.</summary>
    public void StartStream(string streamId, params object[] events) => StartStream(streamId, null, events);

    public void StartStream(string streamId, string? streamType, params object[] events) =>
        Add(streamId, streamType, expected: 0, events);

    /// <summary>Appends whatever version the stream is at.</summary>
    public void Append(string streamId, params object[] events) => Add(streamId, null, expected: null, events);

    /// <summary>Appends only if the stream is still at <paramref name="expectedVersion"/> when saved.</summary>
    public void Append(string streamId, long expectedVersion, params object[] events) =>
        Add(streamId, null, expectedVersion, events);

    /// <summary>Hides the stream from normal reads and refuses further appends; its events are kept.</summary>
    public void ArchiveStream(string streamId)
    {
        StreamIds.Validate(streamId);
        Archives.Add(streamId);
    }

    private void Add(string streamId, string? streamType, long? expected, object[] events)
    {
        StreamIds.Validate(streamId);
        if (events.Length == 0) throw new ArgumentException("at least one event is needed", nameof(events));
        if (events.Any(e => e is null)) throw new ArgumentException("events cannot be null", nameof(events));
        if (Pending.TryGetValue(streamId, out var pending))
        {
            var next = (pending.Expected ?? 0) + pending.Events.Count;
            if (expected is not null && pending.Expected is not null && expected != next)
                throw new ArgumentException($"stream '{streamId}' already has {pending.Events.Count} pending events; expected version {expected} does not follow them");
            pending.Events.AddRange(events);
            return;
        }
        Pending[streamId] = new PendingStream(streamId, streamType, expected, [.. events]);
    }

    internal void Clear()
    {
        Pending.Clear();
        Archives.Clear();
    }
}

internal sealed record PendingStream(string StreamId, string? StreamType, long? Expected, List<object> Events);

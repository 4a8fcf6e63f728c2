namespace DcAssets.EventStore;

/// <summary>Base of every error the store raises on purpose, so callers can tell ours from bugs.</summary>
public abstract class EventStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Another writer got there first: the stream is not at the version the caller decided on.</summary>
public sealed class ConcurrencyException(string streamId, long? expected, long actual)
    : EventStoreException($"stream '{streamId}' was expected at version {expected?.ToString() ?? "(new)"} but is at version {actual}")
{
    public string StreamId { get; } = streamId;
    public long? ExpectedVersion { get; } = expected;
    public long ActualVersion { get; } = actual;
}

public sealed class StreamArchivedException(string streamId)
    : EventStoreException($"stream '{streamId}' is archived; it is kept for history but takes no new events")
{
    public string StreamId { get; } = streamId;
}

public sealed class InvalidStreamIdException(string streamId, string rule)
    : EventStoreException($"stream id '{Truncate(streamId)}' is invalid: {rule}")
{
    public string StreamId { get; } = streamId;
    private static string Truncate(string s) => s.Length > 60 ? s[..60] + "…" : s;
}

public sealed class EventTooLargeException(string streamId, string type, int bytes, int limit)
    : EventStoreException($"event '{type}' for stream '{streamId}' is {bytes} bytes; the limit is {limit}")
{
    public int Bytes { get; } = bytes;
    public int Limit { get; } = limit;
}

public sealed class UnknownEventTypeException(string typeName, long? position)
    : EventStoreException(position is null
        ? $"event type '{typeName}' is not registered"
        : $"event type '{typeName}' at position {position} is not registered (register it or add an upcaster)")
{
    public string TypeName { get; } = typeName;
    public long? Position { get; } = position;
}

public sealed class EventDeserializationException(string typeName, long position, Exception inner)
    : EventStoreException($"event '{typeName}' at position {position} could not be read: {inner.Message}", inner)
{
    public string TypeName { get; } = typeName;
    public long Position { get; } = position;
}

/// <summary>The database could not be reached or the connection broke; nothing was written. Retrying reconnects.</summary>
public sealed class EventStoreUnavailableException(string message, Exception inner) : EventStoreException(message, inner);

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DcAssets.EventStore;

/// <summary>
/// Maps stable event names to CLR types. Names are stored, CLR names never are, so classes can be
/// moved and renamed freely. An old shape is kept readable by an upcaster from its name to a newer one.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly ConcurrentDictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> _byType = new();
    private readonly ConcurrentDictionary<string, (string To, Func<JsonObject, JsonObject> Transform)> _upcasters = new(StringComparer.Ordinal);

    public EventTypeRegistry Register<T>(string name) where T : class => Register(typeof(T), name);

    public EventTypeRegistry Register(Type type, string name)
    {
        EventNames.Validate(name);
        if (_byName.TryGetValue(name, out var existing) && existing != type)
            throw new ArgumentException($"event name '{name}' is already registered for {existing.Name}");
        if (_upcasters.ContainsKey(name))
            throw new ArgumentException($"event name '{name}' is upcast to a newer shape; it cannot also name a type");
        _byName[name] = type;
        _byType[type] = name;
        return this;
    }

    /// <summary>Events stored as <paramref name="from"/> are read as <paramref name="to"/> after <paramref name="transform"/>.</summary>
    public EventTypeRegistry Upcast(string from, string to, Func<JsonObject, JsonObject> transform)
    {
        EventNames.Validate(from);
        if (_byName.ContainsKey(from))
            throw new ArgumentException($"'{from}' names a registered type; upcast only retired names");
        _upcasters[from] = (to, transform);
        return this;
    }

    public bool IsRegistered(Type type) => _byType.ContainsKey(type);

    /// <summary>Every registered type with its stored name (the Marten store maps the same names).</summary>
    public IEnumerable<(Type Type, string Name)> All => _byType.Select(p => (p.Key, p.Value)).OrderBy(p => p.Value, StringComparer.Ordinal);

    public string NameOf(Type type) =>
        _byType.TryGetValue(type, out var name)
            ? name
            : throw new UnknownEventTypeException(type.Name, null);

    public Type? TypeOf(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The CLR type a stored name is read as, following upcasters; null when unknown.</summary>
    public Type? ResolveStored(string storedName)
    {
        var current = storedName;
        for (var hops = 0; hops <= 32 && _upcasters.TryGetValue(current, out var up); hops++) current = up.To;
        return TypeOf(current);
    }

    /// <summary>Turns stored JSON into the current CLR event, running upcasters (possibly chained).</summary>
    /// <remarks>From the stored UTF-8 bytes, which the parser reads without transcoding.</remarks>
    internal object Deserialize(string name, ReadOnlySpan<byte> json, long position, JsonSerializerOptions options)
    {
        var current = name;
        JsonObject? node = null;
        for (var hops = 0; _upcasters.TryGetValue(current, out var up); hops++)
        {
            if (hops > 32) throw new EventDeserializationException(name, position, new InvalidOperationException("upcasters form a loop"));
            try { node = up.Transform(node ?? (JsonNode.Parse(json) as JsonObject ?? [])); }
            catch (Exception ex) { throw new EventDeserializationException(current, position, ex); }
            current = up.To;
        }
        var type = TypeOf(current) ?? throw new UnknownEventTypeException(current == name ? name : $"{name} (upcast to {current})", position);
        try
        {
            return (node is null ? JsonSerializer.Deserialize(json, type, options) : node.Deserialize(type, options))
                   ?? throw new JsonException("the event body is null");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            throw new EventDeserializationException(current, position, ex);
        }
    }
}

internal static class EventNames
{
    public static void Validate(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 100 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.'))
            throw new ArgumentException($"event name '{name}' must be 1-100 characters of a-z, 0-9, '_' and '.'");
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;

namespace DcAssets.Assets;

public sealed record FieldChange(string Field, string? From, string? To);

public sealed record HistoryEntry(long Version, string Event, DateTimeOffset At, string? ActorId, string? ActorName,
    string? Role,
    string? Source, string? ClientAddress, IReadOnlyList<FieldChange> Changes)
{
    /// <summary>What the person wrote with the change (a status change's note, a retirement's reason).</summary>
    public string? Note { get; init; }
}

/// <summary>
/// An asset's history: every event with who, when, from where and which fields it changed (read from the stream
/// itself).
/// </summary>
public static class AssetHistory
{
    public static async Task<IReadOnlyList<HistoryEntry>?> ReadAsync(IQuerySession s, string tag,
        CancellationToken ct)
    {
        if (!AssetVocabulary.IsValidTag(tag)) return null;
        var json = s.DocumentStore.Options.Serializer();
        var events = await s.Events.FetchStreamAsync(AssetVocabulary.StreamId(tag), token: ct);
        if (events.Count == 0) return null;
        var entries = new List<HistoryEntry>();
        Asset? state = null;
        foreach (var e in events)
        {
            var next = AssetFold.Step(state, e);
            string? H(string key) => EventHeaders.Read(e, key);
            entries.Add(new HistoryEntry(e.Version, e.EventTypeName, e.Timestamp, H(EventHeaders.ActorId), e.UserName,
                H(EventHeaders.Role), H(EventHeaders.Source), H(EventHeaders.ClientAddress),
                Diff(Flatten(state, json), Flatten(next, json)))
            {
                Note = e.Data switch { AssetStatusChanged c => c.Note, AssetRetired r => r.Reason, _ => null },
            });
            state = next;
        }
        return entries;
    }

    private static Dictionary<string, string?> Flatten(Asset? a, Marten.ISerializer serializer)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (a is null) return result;
        void Walk(string prefix, JsonNode? node)
        {
            if (node is JsonObject o) foreach (var (k, v) in o) Walk(prefix.Length == 0 ? k : $"{prefix}.{k}", v);
            else result[prefix] = node is JsonValue v2 && v2.TryGetValue<string>(out var str)
                ? str : node?.ToJsonString();
        }
        var json = JsonNode.Parse(serializer.ToJson(a with { RegisteredAt = default, ChangedAt = default }))
            as JsonObject;
        json?.Remove("registeredAt");
        json?.Remove("changedAt");
        json?.Remove("id");
        Walk("", json);
        return result;
    }

    private static List<FieldChange> Diff(Dictionary<string, string?> before, Dictionary<string, string?> after) =>
        before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k =>
                new FieldChange(k.StartsWith("details.") ? k["details.".Length..] : k, before.GetValueOrDefault(k),
                after.GetValueOrDefault(k)))
            .ToList();
}

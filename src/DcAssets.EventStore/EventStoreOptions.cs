using System.Text.Json;
using System.Text.Json.Serialization;
using DcAssets.EventStore.Projections;

namespace DcAssets.EventStore;

public sealed class EventStoreOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>All tables live in this schema; two stores with different schemas share nothing.</summary>
    public string Schema { get; init; } = "dcassets";

    /// <summary>Events larger than this (serialized data) are refused before they reach the database.</summary>
    public int MaxEventBytes { get; init; } = 1024 * 1024;

    public EventTypeRegistry Events { get; } = new();

    /// <summary>Projections run in the appending transaction.</summary>
    public List<IProjection> InlineProjections { get; } = [];

    /// <summary>Projections run by the daemon, behind the appends, each on exactly one node.</summary>
    public List<IProjection> AsyncProjections { get; } = [];

    /// <summary>When set, the daemon runs the sealer and verify checks seals with this key.</summary>
    public Integrity.SealingOptions? Sealing { get; set; }

    /// <summary>
    /// Runs after the events took their positions and before the commit: lets the ordering tests
    /// hold transactions open and roll them back at random. Internal: not a production extension point.
    /// </summary>
    internal Func<CancellationToken, Task>? BeforeCommit { get; set; }

    public JsonSerializerOptions Json { get; init; } = DefaultJson();

    public static JsonSerializerOptions DefaultJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return o;
    }
}

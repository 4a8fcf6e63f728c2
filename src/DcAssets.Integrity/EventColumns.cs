using Marten;

namespace DcAssets.Integrity;

/// <summary>
/// Which optional metadata columns Marten keeps on mt_events. The canonical form always has a slot for
/// each (null when the column is off), so turning one on later changes nothing already hashed.
/// </summary>
internal sealed record EventColumns(bool Headers, bool CorrelationId, bool CausationId, bool UserName)
{
    public static EventColumns From(IReadOnlyStoreOptions options)
    {
        var m = options.Events.MetadataConfig;
        return new EventColumns(m.HeadersEnabled, m.CorrelationIdEnabled, m.CausationIdEnabled, m.UserNameEnabled);
    }

    private bool Has(string column) => column switch
    {
        "headers" => Headers,
        "correlation_id" => CorrelationId,
        "causation_id" => CausationId,
        "user_name" => UserName,
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    /// <summary>The column as text in the trigger (jsonb through its deterministic text output).</summary>
    public string New(string column) =>
        !Has(column) ? "null::text" : column == "headers" ? "new.headers::text" : "new." + column;

    /// <summary>The column as text in a query over mt_events aliased <c>e</c>.</summary>
    public string Select(string column) =>
        !Has(column) ? "null::text" : column == "headers" ? "e.headers::text" : "e." + column;
}

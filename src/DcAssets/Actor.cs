namespace DcAssets;

/// <summary>Where a change came from; stamped on every event as a header (see <see cref="EventHeaders"/>).</summary>
public static class EventSources
{
    public const string Ui = "ui", Api = "api", Cli = "cli", Poller = "poller", Trap = "trap", Import = "import",
        System = "system";
}

/// <summary>Who is appending, from where, as part of which operation.</summary>
public sealed record Actor(string Id, string Name, string? Role = null, string Source = EventSources.System)
{
    public string? ClientAddress { get; init; }
    public string? CorrelationId { get; init; }

    public static Actor System(string name = "system") => new("system", name, "system", EventSources.System);
}

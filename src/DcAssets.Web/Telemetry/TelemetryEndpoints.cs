using DcAssets.Telemetry;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;
using DcAssets.Web.Identity;
using DcAssets.Web.Api;
using Marten;
using Wolverine;

namespace DcAssets.Web.Telemetry;

public sealed record AcknowledgeBody(string? Comment = null);

/// <summary>
/// /api/v1/telemetry: latest values, history ranges (raw or rolled up, JSON or CSV), active alarms and their history,
/// polling configuration.
/// </summary>
public static class TelemetryEndpoints
{
    public static RouteGroupBuilder MapTelemetryEndpoints(this RouteGroupBuilder g)
    {
        g.MapGet("/devices", async (IQuerySession q, CancellationToken ct) =>
            Results.Ok(await DeviceBoard.AllAsync(q, ct))).RequireAuthorization(Policies.Read);

        g.MapGet("/devices/{assetId}", async (string assetId, IQuerySession q, AssetLookup assets,
                CancellationToken ct) =>
            await DeviceBoard.OneAsync(q, assets, assetId, ct) is { } d ? Results.Ok(d)
                : IdentityEndpoints.NotFound("polled device", assetId))
            .RequireAuthorization(Policies.Read);

        g.MapGet("/devices/{assetId}/history", async (string assetId, DateTimeOffset? from, DateTimeOffset? to,
                string? resolution, IQuerySession q, AssetLookup assets, CancellationToken ct) =>
            Results.Ok(await HistoryAsync(q, assets, assetId, from, to, resolution, ct)))
            .RequireAuthorization(Policies.Read);

        g.MapGet("/devices/{assetId}/history.csv", async (string assetId, DateTimeOffset? from, DateTimeOffset? to,
            string? resolution, HttpContext http, IQuerySession q, AssetLookup assets, CancellationToken ct) =>
        {
            var range = await HistoryAsync(q, assets, assetId, from, to, resolution, ct);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{range.AssetId}-"
                + $"{range.Resolution.ToString().ToLowerInvariant()}-{range.From.UtcDateTime:yyyyMMddTHHmm}.csv\"";
            await using var w = new StreamWriter(http.Response.Body);
            await ReadingHistory.WriteCsvAsync(range, w, ct);
        }).RequireAuthorization(Policies.Read);

        g.MapGet("/devices/{assetId}/polling", async (string assetId, IQuerySession q, AssetLookup assets,
                CancellationToken ct) =>
            await RemovePollingHandler.FindAsync(q, assets, assetId, ct) is { } d ? Results.Ok(PollingView.Of(d.Config))
                : IdentityEndpoints.NotFound("polled device", assetId))
            .RequireAuthorization(Policies.EditAssets);

        g.MapPut("/devices/{assetId}/polling", ConfigureAsync).RequireAuthorization(Policies.EditAssets);

        g.MapDelete("/devices/{assetId}/polling", async (string assetId, HttpContext http, IMessageBus bus,
            CancellationToken ct) =>
        {
            await bus.InvokeAsync<PollingRemoved>(http, new RemovePolling(assetId), ct);
            return Results.NoContent();
        }).RequireAuthorization(Policies.EditAssets);

        g.MapGet("/alarms/summary", async (IQuerySession q, CancellationToken ct) =>
            Results.Ok(AlarmSummary.Of(await DeviceBoard.ActiveAlarmsAsync(q, null, ct))))
            .RequireAuthorization(Policies.Read);

        // Without state: the active alarms (the dashboard's list). With state: the alarm history of a range.
        g.MapGet("/alarms", async (string? state, DateTimeOffset? from, DateTimeOffset? to, IQuerySession q,
                CancellationToken ct) =>
            state is null
                ? Results.Ok(await DeviceBoard.ActiveAlarmsAsync(q, null, ct))
                : Results.Ok(await AlarmHistory.ReadAsync(q, state, from, to, ct))).RequireAuthorization(Policies.Read);

        g.MapPost("/alarms/{assetId}/{rule}/acknowledge", async (string assetId, string rule, AcknowledgeBody? body,
                HttpContext http, IMessageBus bus, IDocumentStore store, CancellationToken ct) =>
            Results.Ok(await AcknowledgeAsync(bus, store, http.Actor(), assetId, rule, body?.Comment, ct)))
            .RequireAuthorization(Policies.EditAssets);
        return g;
    }

    /// <summary>
    /// Acknowledges once (again is a no-op) and answers with the alarm as it now stands; shared with the dashboard's
    /// form.
    /// </summary>
    public static async Task<ActiveAlarm> AcknowledgeAsync(IMessageBus bus, IDocumentStore store, Actor actor,
        string assetId, string rule, string? comment, CancellationToken ct)
    {
        if (comment?.Length > 500) throw CommandRejected.Field("comment", "at most 500 characters");
        try
        {
            await bus.InvokeAsync<AlarmAcknowledged?>(new AcknowledgeAlarm(assetId, rule, comment),
                ActorMessages.For(actor), ct);
        }
        catch (AlarmNotActiveException e) { throw CommandRejected.Field("rule", e.Message, RejectionKind.NotFound); }
        await using var q = store.QuerySession();
        return (await q.LoadAsync<ActiveAlarm>(ActiveAlarm.Key(assetId, rule), ct))!;
    }

    private static async Task<IResult> ConfigureAsync(string assetId, PollingBody body, HttpContext http,
        IMessageBus bus, CancellationToken ct)
    {
        var decided = await bus.InvokeAsync<PollingConfigured>(http, PollingInput.ToCommand(assetId, body), ct);
        return Results.Ok(PollingView.Of(decided));
    }

    private static async Task<ReadingRange> HistoryAsync(IQuerySession q, AssetLookup assets, string assetId,
        DateTimeOffset? from, DateTimeOffset? to, string? resolution, CancellationToken ct)
    {
        var id = (await RemovePollingHandler.FindAsync(q, assets, assetId, ct))?.AssetId
            ?? (await assets(assetId, ct))?.Tag
            ?? throw CommandRejected.Field("assetId", $"no asset or polled device '{assetId}'", RejectionKind.NotFound);
        var p = new DcAssets.Problems();
        HistoryResolution? res = (resolution ?? "raw").ToLowerInvariant() switch
        {
            "raw" => HistoryResolution.Raw, "hourly" => HistoryResolution.Hourly, "daily" =>
                HistoryResolution.Daily, _ => null,
        };
        if (res is null) { p.Add("resolution", "raw, hourly or daily"); p.ThrowIfAny(); }
        var end = to ?? DateTimeOffset.UtcNow;
        var start = from ?? end - (res == HistoryResolution.Daily ? TimeSpan.FromDays(90) : TimeSpan.FromHours(24));
        if (start >= end) p.Add("to", "must be after from");
        else if (end - start > ReadingHistory.MaxSpan[res!.Value])
            p.Add("to",
                $"a {res.Value.ToString().ToLowerInvariant()} range spans at most " +
                $"{ReadingHistory.MaxSpan[res.Value].TotalDays:0} days");
        p.ThrowIfAny();
        return await ReadingHistory.ReadAsync(q, id, res!.Value, start.ToUniversalTime(), end.ToUniversalTime(), ct);
    }
}

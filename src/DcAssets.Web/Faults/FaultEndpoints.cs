using DcAssets.Faults;
using DcAssets.Web.Api;
using DcAssets.Web.Identity;
using Marten;
using Wolverine;

namespace DcAssets.Web.Faults;

/// <summary>
/// /api/v1/faults: the fault board (filters state and level), one fault, and working it — report, acknowledge,
/// resolve (engineers, managers, admins), classify, close, reopen (managers, admins). The contract's terms come from
/// Faults:ContractProfile or the checkout's templates/contracts/default.yaml.
/// </summary>
public static class FaultEndpoints
{
    public sealed record ClassifyBody(string? Level, string? Reason);
    public sealed record ResolveBody(string? Cause, string? Action);
    public sealed record NoteBody(string? Note);
    public sealed record ReasonBody(string? Reason);

    public static IServiceCollection AddFaults(this IServiceCollection services) =>
        services.AddSingleton(sp => LoadContract(sp.GetRequiredService<IConfiguration>()));

    /// <summary>
    /// The configured profile, or the shipped one found from the checkout; an unusable file stops the host.
    /// </summary>
    public static ContractProfile LoadContract(IConfiguration config)
    {
        if (config["Faults:ContractProfile"] is { Length: > 0 } path) return ContractProfile.Load(path);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(ContractProfile.DefaultPath(dir.FullName)))
                    return ContractProfile.Load(ContractProfile.DefaultPath(dir.FullName));
        throw new InvalidOperationException(
            "no contract profile: set Faults:ContractProfile to a file like templates/contracts/default.yaml");
    }

    public static RouteGroupBuilder MapFaultEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/faults").WithTags("Faults");
        g.MapGet("/", async (string? state, string? level, IQuerySession q, CancellationToken ct) =>
        {
            var all = await q.Query<FaultTicket>().OrderByDescending(f => f.OccurredAt).Take(1000).ToListAsync(ct);
            return all.Where(f => state is null || string.Equals(f.State.ToString(), state,
                    StringComparison.OrdinalIgnoreCase))
                .Where(f => level is null || f.Level == level);
        }).RequireAuthorization(Policies.Read);
        g.MapGet("/{faultId}", async (string faultId, IQuerySession q, CancellationToken ct) =>
            await q.LoadAsync<FaultTicket>(FaultTicket.StreamId(faultId), ct) is { } f
                ? Results.Ok(f) : Identity.IdentityEndpoints.NotFound("fault", faultId))
            .RequireAuthorization(Policies.Read);

        g.MapPost("/", async (ReportFaultCommand c, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var f = await bus.InvokeAsync<FaultTicket>(http, new ReportFault(c), ct);
            return Results.Created($"/api/v1/faults/{f.Id}", f);
        }).RequireAuthorization(Policies.WorkFaults);
        g.MapPost("/{faultId}/acknowledge", (string faultId, HttpContext http, IMessageBus bus, CancellationToken ct) =>
            Work(http, bus, new AcknowledgeFault(faultId), ct)).RequireAuthorization(Policies.WorkFaults);
        g.MapPost("/{faultId}/resolve", (string faultId, ResolveBody b, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Work(http, bus, new ResolveFault(faultId, b.Cause, b.Action), ct))
            .RequireAuthorization(Policies.WorkFaults);
        g.MapPost("/{faultId}/classify", (string faultId, ClassifyBody b, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Work(http, bus, new ClassifyFault(faultId, b.Level, b.Reason), ct))
            .RequireAuthorization(Policies.ManageFaults);
        g.MapPost("/{faultId}/close", (string faultId, NoteBody? b, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Work(http, bus, new CloseFault(faultId, b?.Note), ct))
            .RequireAuthorization(Policies.ManageFaults);
        g.MapPost("/{faultId}/reopen", (string faultId, ReasonBody b, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Work(http, bus, new ReopenFault(faultId, b.Reason), ct))
            .RequireAuthorization(Policies.ManageFaults);
        return g;
    }

    private static async Task<IResult> Work(HttpContext http, IMessageBus bus, object command, CancellationToken ct) =>
        Results.Ok(await bus.InvokeAsync<FaultTicket>(http, command, ct));
}

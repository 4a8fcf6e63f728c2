using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Integrity;
using DcAssets.Projections;
using DcAssets.Web.Identity;

namespace DcAssets.Web.Operations;

/// <summary>
/// The store's operations over HTTP: projection state and lag, rebuilds (admins), and history
/// verification (security officers). The work itself is the same as the CLI's.
/// </summary>
internal static class OperationsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/api/v1").WithTags("Operations");
        ops.MapGet("/projections", Status).RequireAuthorization(Policies.Audit);
        ops.MapPost("/projections/{name}/rebuild", Rebuild).RequireAuthorization(Policies.Operate);
        ops.MapGet("/integrity/verify", Verify).RequireAuthorization(Policies.Audit);
    }

    // Every async projection is listed: Marten's (one that has not started yet shows as "not started") and what our
    // own store's daemon still runs (the sealer).
    private static async Task<IResult> Status(EventStore.EventStore store, Marten.IDocumentStore marten,
        CancellationToken ct)
    {
        var known = (await new ProgressTable(store.DataSource, store.Schema).StatusAsync(ct)).ToDictionary(p => p.Name);
        var ours = ProjectionDaemon.DefaultConsumers(store).Select(c => c.Name);
        var list = ours.Union(known.Keys).Select(name => known.TryGetValue(name, out var p)
            ? (Name: name, Status: (object)p) : (name, new { name, state = "not started" })).ToList();
        var onMarten = await ProjectionBoard.StatusAsync(marten, store.DataSource, ct);
        list.AddRange(onMarten.Select(p => (p.Name, (object)p)));
        return Results.Ok(list.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Status));
    }

    // The node whose daemon runs the projection does the rebuild; this only asks for it.
    private static async Task<IResult> Rebuild(string name, EventStore.EventStore store, Marten.IDocumentStore marten,
        CancellationToken ct)
    {
        if (ProjectionBoard.Names(marten).Contains(name))
        {
            var schema = marten.Options.DatabaseSchemaName;
            var requests = await ProjectionRequests.EnsureAsync(store.DataSource, schema, ct);
            await requests.RequestAsync(name, ProjectionWork.Rebuild, ct);
            return Results.Accepted("/api/v1/projections", new { name, state = "rebuild requested" });
        }
        var consumer = ProjectionDaemon.DefaultConsumers(store).FirstOrDefault(c => c.Name == name);
        return consumer is null
            ? Results.ValidationProblem(new Dictionary<string, string[]>
                { ["name"] = [$"no async projection is named '{name}'"] }, statusCode: 404)
            : Results.ValidationProblem(new Dictionary<string, string[]>
                { ["name"] = [$"'{name}' keeps no documents and cannot be rebuilt"] });
    }

    private static async Task<IResult> Verify(EventStore.EventStore store, Marten.IDocumentStore marten, long? from,
        CancellationToken ct)
    {
        if (from < 0) return Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["must be a position, 0 or more"] });
        var report = await new HistoryVerifier(store, store.Options.Sealing).VerifyAsync(from ?? 0, null, ct);
        // People and sign-ins are on Marten already: their chains and seals are checked whole, with the same key.
        var people = store.Options.Sealing is { } sealing
            ? await new DcAssets.Integrity.HistoryVerifier(marten, new DcAssets.Integrity.SealKey(sealing.Key))
                .VerifyAsync(1, ct)
            : null;
        return Results.Ok(new
        {
            intact = report.Intact && people?.Intact != false,
            people = people is null ? null : new
            {
                intact = people.Intact, eventsChecked = people.EventsChecked, sealsChecked = people.SealsChecked,
                firstBadSequence = people.FirstBadSeq, reason = people.First?.Reason,
            },
            eventsChecked = report.EventsChecked,
            streamsChecked = report.StreamsChecked,
            sealsChecked = report.SealsChecked,
            sealsVerifiable = report.SealsVerifiable,
            fromPosition = report.FromPosition,
            seconds = report.Elapsed.TotalSeconds,
            firstMismatch = report.First,
            problems = report.Problems.OrderBy(p => p.Position ?? long.MaxValue).Take(100),
        });
    }
}

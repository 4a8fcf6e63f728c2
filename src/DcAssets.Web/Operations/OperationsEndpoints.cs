using DcAssets.Integrity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
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

    // Every async projection on Marten, with its state, position and lag.
    private static async Task<IResult> Status(NpgsqlDataSource db, IDocumentStore marten, CancellationToken ct) =>
        Results.Ok((await ProjectionBoard.StatusAsync(marten, db, ct)).OrderBy(p => p.Name, StringComparer.Ordinal));

    // The node whose daemon runs the projection does the rebuild; this only asks for it.
    private static async Task<IResult> Rebuild(string name, NpgsqlDataSource db, IDocumentStore marten,
        CancellationToken ct)
    {
        if (!ProjectionBoard.Names(marten).Contains(name))
            return Results.ValidationProblem(new Dictionary<string, string[]>
                { ["name"] = [$"no async projection is named '{name}'"] }, statusCode: 404);
        var requests = await ProjectionRequests.EnsureAsync(db, marten.Options.DatabaseSchemaName, ct);
        await requests.RequestAsync(name, ProjectionWork.Rebuild, ct);
        return Results.Accepted("/api/v1/projections", new { name, state = "rebuild requested" });
    }

    private static async Task<IResult> Verify(IDocumentStore marten, [FromServices] SealingOptions? sealing, long? from,
        CancellationToken ct)
    {
        if (from < 0)
            return Results.ValidationProblem(new Dictionary<string, string[]>
                { ["from"] = ["must be a position, 0 or more"] });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = await new HistoryVerifier(marten, sealing?.Key).VerifyAsync(Math.Max(from ?? 0, 1), ct);
        return Results.Ok(new
        {
            intact = report.Intact,
            eventsChecked = report.EventsChecked,
            sealsChecked = report.SealsChecked,
            sealsVerifiable = sealing is not null,
            fromPosition = from ?? 0,
            seconds = clock.Elapsed.TotalSeconds,
            firstMismatch = report.First is { } f ? new { position = f.Seq, reason = f.Reason } : null,
            problems = report.Problems.OrderBy(p => p.Seq ?? long.MaxValue).Take(100)
                .Select(p => new { position = p.Seq, reason = p.Reason }),
        });
    }
}

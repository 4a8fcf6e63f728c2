using DcAssets.Telemetry.Readings;
using Marten;
using Wolverine;
using Wolverine.Attributes;

namespace DcAssets.Web.Telemetry;

/// <summary>Archive the raw readings older than Telemetry:RawRetentionDays (90) now.</summary>
[MessageIdentity(Name)]
public sealed record ArchiveExpiredReadings
{
    public const string Name = "archive-expired-readings";
}

/// <summary>
/// Reading retention as a durable scheduled Wolverine message: each run archives, then schedules the next an hour
/// on, so one chain of runs lives in the database whichever nodes come and go (a scheduled run of a node that died
/// is taken up by another). A node that polls starts the chain when none is pending.
/// </summary>
public static class ArchiveExpiredReadingsHandler
{
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public static async Task<object> Handle(ArchiveExpiredReadings run, IDocumentStore store, IConfiguration config,
        TimeProvider clock, ILogger<ArchiveExpiredReadings> log, CancellationToken ct)
    {
        var window = TimeSpan.FromDays(double.TryParse(config["Telemetry:RawRetentionDays"], out var days)
            ? days : ReadingRetention.DefaultWindow.TotalDays);
        try
        {
            var archived = await ReadingRetention.ArchiveExpiredAsync(store, window, clock.GetUtcNow(), ct);
            if (archived > 0)
                log.LogInformation("archived {Count} raw reading streams older than {Days} days", archived,
                    window.TotalDays);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The chain must not break on one failed run: the next one tries again.
            log.LogWarning("reading retention: {Message}", e.Message);
        }
        return run.DelayedFor(Every);
    }

    /// <summary>
    /// Schedules a first run a minute on unless one is pending (or running) already; nodes starting together take
    /// turns, so one chain is started.
    /// </summary>
    public static async Task EnsureScheduledAsync(Npgsql.NpgsqlDataSource db, IMessageBus bus, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var key = $"hashtext('{DcAssetsStore.Schema}.{ArchiveExpiredReadings.Name}')";
        await using (var l = new Npgsql.NpgsqlCommand($"select pg_advisory_lock({key})", conn))
            await l.ExecuteNonQueryAsync(ct);
        try
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                $"select count(*) from {DcAssetsStore.Schema}.wolverine_incoming_envelopes " +
                "where message_type = @type and status in ('Scheduled', 'Incoming')", conn);
            cmd.Parameters.AddWithValue("type", ArchiveExpiredReadings.Name);
            if ((long)(await cmd.ExecuteScalarAsync(ct))! == 0)
                await bus.ScheduleAsync(new ArchiveExpiredReadings(), TimeSpan.FromMinutes(1));
        }
        finally
        {
            await using var u = new Npgsql.NpgsqlCommand($"select pg_advisory_unlock({key})", conn);
            await u.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}

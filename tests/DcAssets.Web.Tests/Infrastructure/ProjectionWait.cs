using System.Diagnostics;
using DcAssets.EventStore.Daemon;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>
/// Waiting for the async projections instead of sleeping: done when Marten's daemon has caught up and every consumer
/// of our own store's daemon (the sealer) has reached the head.
/// </summary>
public static class ProjectionWait
{
    /// <summary>
    /// Returns once every consumer the daemon runs (async projections, and the sealer when a seal key is set)
    /// has recorded progress at or past the store's head as it stood when called; fails at once when one is
    /// faulted, and with every consumer's position when <paramref name="timeout"/> (30 s) passes first.
    /// </summary>
    public static async Task WaitForProjectionsAsync(this DcAssetsApp app, TimeSpan? timeout = null)
    {
        if (!app.Daemon) throw new InvalidOperationException("this host runs no projection daemon: create it with new DcAssetsApp { Daemon = true }");
        // Marten's async projections: its own wait, which fails naming a paused shard.
        await app.Services.GetRequiredService<global::Marten.IDocumentStore>()
            .WaitForNonStaleProjectionDataAsync(timeout ?? TimeSpan.FromSeconds(30));
        var schema = app.Store.Schema;
        var names = ProjectionDaemon.DefaultConsumers(app.Store).Select(c => c.Name).Order().ToList();
        var head = await app.ScalarAsync<long>($"select coalesce(max(seq), 0) from {schema}.events");
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var progress = new Dictionary<string, (long Position, string State, string? Error)>();
            await using (var cmd = app.Store.DataSource.CreateCommand($"select name, last_seq, state, last_error from {schema}.projection_progress where name = any(@names)"))
            {
                cmd.Parameters.AddWithValue("names", names.ToArray());
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) progress[r.GetString(0)] = (r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
            }
            if (progress.FirstOrDefault(p => p.Value.State == ProgressTable.Faulted) is { Key: not null } faulted)
                throw new Xunit.Sdk.XunitException($"projection {faulted.Key} is faulted at {faulted.Value.Position}: {faulted.Value.Error}");
            if (names.All(n => progress.TryGetValue(n, out var p) && p.Position >= head)) return;
            if (clock.Elapsed > limit)
                throw new Xunit.Sdk.XunitException($"projections did not reach position {head} within {limit.TotalSeconds:0} s: " +
                    string.Join(", ", names.Select(n => progress.TryGetValue(n, out var p) ? $"{n} at {p.Position} ({p.State})" : $"{n} not started")));
            await Task.Delay(50);
        }
    }
}

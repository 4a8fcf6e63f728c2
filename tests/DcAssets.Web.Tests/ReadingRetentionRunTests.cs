using DcAssets.Telemetry;
using DcAssets.Telemetry.Readings;
using DcAssets.Web.Telemetry;
using DcAssets.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Wolverine;

namespace DcAssets.Web.Tests;

/// <summary>Raw-reading retention runs as a durable scheduled message, one chain of runs for all the nodes.</summary>
public sealed class ReadingRetentionRunTests : IAsyncLifetime
{
    private readonly DcAssetsApp _app = new(kestrel: false, loginsPerMinute: 1000, telemetry: true)
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow),
    };

    private const string Pending = "select count(*) from dcassets.wolverine_incoming_envelopes " +
        $"where message_type = '{ArchiveExpiredReadings.Name}' and status = 'Scheduled'";

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    private async Task ScheduledByTheNodeAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (await _app.ScalarAsync<long>(Pending) == 0)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the node scheduled no retention run");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_polling_node_leaves_one_run_scheduled_however_often_it_starts()
    {
        await ScheduledByTheNodeAsync();
        using var scope = _app.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var db = _app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await ArchiveExpiredReadingsHandler.EnsureScheduledAsync(db, bus, default);
        await ArchiveExpiredReadingsHandler.EnsureScheduledAsync(db, bus, default);

        (await _app.ScalarAsync<long>(Pending)).Should().Be(1);
    }

    [Fact]
    public async Task A_run_archives_the_expired_raw_readings_and_schedules_the_next_an_hour_on()
    {
        await ScheduledByTheNodeAsync();
        var at = DateTimeOffset.UtcNow;
        var stream = TelemetryStreams.Readings("UPS-R1", at);
        await using (var s = _app.Marten.OpenSession(
            new Actor("poller:test", "poller", "system", EventSources.Poller)))
        {
            s.Events.Append(stream, new UpsReadingRecorded("UPS-R1", "ups-mib", at, at, 2, "schedule",
                [new Reading("output_load.1", 20, 1, "%")]));
            await s.SaveChangesAsync();
        }
        ((FakeTimeProvider)_app.Clock!).Advance(ReadingRetention.DefaultWindow + TimeSpan.FromDays(1));

        using var scope = _app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new ArchiveExpiredReadings());

        (await _app.ScalarAsync<bool>($"select is_archived from dcassets.mt_streams where id = '{stream}'"))
            .Should().BeTrue();
        var next = await _app.ScalarAsync<DateTime>("select max(execution_time) from " +
            $"dcassets.wolverine_incoming_envelopes where message_type = '{ArchiveExpiredReadings.Name}'");
        (next - DateTime.UtcNow).Should().BeCloseTo(ArchiveExpiredReadingsHandler.Every, TimeSpan.FromMinutes(2));
    }
}

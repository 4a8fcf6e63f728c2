using System.Text;
using DcAssets.EventStore;
using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Integrity;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.Tests.Cli;

public sealed class VerifyCommandTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Verify_exits_0_on_a_sealed_history_and_1_naming_the_position_after_an_edit_in_sql()
    {
        var options = TestStores.Options(db.ConnectionString);
        options.Sealing = new SealingOptions(Encoding.UTF8.GetBytes(CliProcess.SealKey)) { EveryEvents = 25, Every = TimeSpan.FromMilliseconds(100) };
        await using var store = await EventStore.EventStore.CreateAsync(options);
        for (var i = 0; i < 4; i++)
        {
            await using var s = store.OpenSession(TestStores.Engineer);
            for (var k = 0; k < 20; k++) s.Events.Append($"cli-{k % 5}", new ThingMoved($"R{i}", k));
            await s.SaveChangesAsync();
        }
        await using (var daemon = new ProjectionDaemon(store, ProjectionDaemon.DefaultConsumers(store),
                         new DaemonOptions { PollInterval = TimeSpan.FromMilliseconds(100), LeaseInterval = TimeSpan.FromMilliseconds(100) }))
        {
            await daemon.StartAsync();
            await Wait.UntilAsync(async () => await db.ScalarAsync<bool>("select coalesce((select max(up_to_seq) from dcassets.seals), 0) = 80"),
                TimeSpan.FromSeconds(30), "sealed");
        }

        var (exit, output, _) = CliProcess.Run(db.ConnectionString, "verify");
        exit.Should().Be(0, output);
        output.Should().Contain("checked 80 events in 5 streams and 4 seals").And.Contain("intact");

        var status = CliProcess.Run(db.ConnectionString, "projections", "status");
        status.Exit.Should().Be(0);
        status.Out.Should().MatchRegex(@"sealer\s+running\s+80\s+80\s+0");

        var target = await db.ScalarAsync<long>("select seq from dcassets.events where stream_id = 'cli-3' and version = 10");
        await db.ExecAsync($"update dcassets.events set data = jsonb_set(data::jsonb, '{{room}}', '\"R-edited\"')::json where seq = {target}");
        (exit, output, _) = CliProcess.Run(db.ConnectionString, "verify");
        exit.Should().Be(1, output);
        output.Should().Contain($"TAMPERED: first mismatch at position {target}");

        var bad = CliProcess.Run(db.ConnectionString, "projections", "rebuild", "no_such_projection");
        bad.Exit.Should().Be(1);
        bad.Err.Should().Contain("no async projection is named 'no_such_projection'");
    }
}

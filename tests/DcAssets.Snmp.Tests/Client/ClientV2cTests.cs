using DcAssets.Snmp.Tests.Infrastructure;

namespace DcAssets.Snmp.Tests.Client;

[Collection(SnmpSimCollection.Name)]
public sealed class ClientV2cTests(SnmpSimFixture sim)
{
    private const string SysName = "1.3.6.1.2.1.1.5.0";
    private const string Ups = "1.3.6.1.2.1.33";

    [Fact]
    public async Task Get_returns_the_configured_sysName()
    {
        await using var client = new SnmpClient();
        var r = await client.GetAsync(sim.V2c(), [Oid.Parse(SysName), Oid.Parse("1.3.6.1.2.1.33.1.1.1.0")]);
        r.Select(v => v.Value.ToString()).Should().Equal("sim-agent", "ACME Power");
    }

    [Fact]
    public async Task Get_of_missing_objects_gives_v2_exceptions()
    {
        await using var client = new SnmpClient();
        var r = await client.GetAsync(sim.V2c(), [Oid.Parse("1.3.6.1.2.1.1.5.1"), Oid.Parse("1.3.6.1.2.1.33.1.2.99.0"), Oid.Parse("1.3.6.1.9.9")]);
        r.Select(v => v.Value.Type).Should().Equal(SnmpType.NoSuchInstance, SnmpType.NoSuchInstance, SnmpType.NoSuchObject);
    }

    [Fact]
    public async Task V1_get_of_a_missing_object_is_noSuchName_with_its_index()
    {
        await using var client = new SnmpClient();
        var act = () => client.GetAsync(sim.V1(), [Oid.Parse(SysName), Oid.Parse("1.3.6.1.2.1.1.5.1")]);
        var e = (await act.Should().ThrowAsync<SnmpErrorException>()).Which;
        e.Status.Should().Be(SnmpErrorStatus.NoSuchName);
        e.Index.Should().Be(2);
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1", SnmpVersion.V2c, "snmpbulkwalk")]
    [InlineData("1.3.6.1.2.1.1", SnmpVersion.V1, "snmpwalk")]
    [InlineData(Ups, SnmpVersion.V2c, "snmpbulkwalk")]
    [InlineData(Ups, SnmpVersion.V1, "snmpwalk")]
    [InlineData("1.3.6.1.4.1.476.1.42", SnmpVersion.V2c, "snmpwalk")]
    public async Task Walk_prints_what_net_snmp_prints(string root, SnmpVersion version, string tool)
    {
        await using var client = new SnmpClient();
        var target = version == SnmpVersion.V1 ? sim.V1() : sim.V2c();
        var ours = new List<string>();
        await foreach (var vb in client.WalkAsync(target, Oid.Parse(root))) ours.Add(SnmpFormatter.NetSnmpLine(vb));
        var theirs = await Tools.NetSnmpAsync(tool, version == SnmpVersion.V1 ? "-v1" : "-v2c", "-c", "public", "-On", sim.Agent, root);
        // sysUpTime moves between the two walks; everything else is frozen.
        static IEnumerable<string> Stable(IEnumerable<string> lines) => lines.Where(l => !l.StartsWith(".1.3.6.1.2.1.1.3.0 ", StringComparison.Ordinal));
        ours.Should().HaveCountGreaterThan(5);
        Stable(ours).Should().Equal(Stable(theirs));
    }

    // sysUpTime moves between two reads; everything else is frozen.
    private static IEnumerable<string> Stable(IEnumerable<string> lines) => lines.Where(l => !l.StartsWith(".1.3.6.1.2.1.1.3.0 ", StringComparison.Ordinal));

    [Theory]
    [InlineData("1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.7.0")]
    [InlineData("1.3.6.1.2.1.33.1.1.1.0", "1.3.6.1.2.1.33.1.2.1.0", "1.3.6.1.2.1.33.1.2.5.0", "1.3.6.1.2.1.33.1.4.1.0")]
    [InlineData("1.3.6.1.2.1.1.5.1", "1.3.6.1.2.1.33.1.2.99.0", "1.3.6.1.9.9")]
    [InlineData("1.3.6.1.4.1.8072.9999.20.1.2.0", "1.3.6.1.4.1.8072.9999.20.2.1.0", "1.3.6.1.4.1.8072.9999.20.2.2.0", "1.3.6.1.4.1.8072.9999.20.3.1.0")]
    public async Task Get_prints_what_snmpget_prints(params string[] oids)
    {
        await using var client = new SnmpClient();
        var ours = (await client.GetAsync(sim.V2c(), oids.Select(Oid.Parse))).Select(SnmpFormatter.NetSnmpLine);
        var theirs = await Tools.NetSnmpAsync("snmpget", ["-v2c", "-c", "public", "-On", sim.Agent, .. oids]);
        string.Join('\n', ours).Should().Be(string.Join('\n', theirs));
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1")]
    [InlineData(Ups)]
    [InlineData("1.3.6.1.4.1.8072.9999.20")]
    public async Task GetNext_walk_prints_what_snmpwalk_prints(string root)
    {
        await using var client = new SnmpClient();
        var ours = new List<string>();
        // maxRepetitions 0: GetNext even on v2c, request for request what snmpwalk sends.
        await foreach (var vb in client.WalkAsync(sim.V2c(), Oid.Parse(root), maxRepetitions: 0)) ours.Add(SnmpFormatter.NetSnmpLine(vb));
        var theirs = await Tools.NetSnmpAsync("snmpwalk", "-v2c", "-c", "public", "-On", sim.Agent, root);
        ours.Should().HaveCountGreaterThan(5);
        // Compared as whole text: some values print over several lines (Hex-STRING, strings with newlines).
        string.Join('\n', Stable(ours)).Should().Be(string.Join('\n', Stable(theirs)));
    }

    [Fact]
    public async Task Bulk_walk_stops_at_endOfMibView_of_a_restricted_view()
    {
        await using var client = new SnmpClient();
        var all = new List<VarBind>();
        await foreach (var vb in client.WalkAsync(sim.V2c("upsonly"), Oid.Parse("1.3.6.1.2.1"), maxRepetitions: 7)) all.Add(vb);
        all.Should().NotBeEmpty();
        all.Should().OnlyContain(v => v.Oid.StartsWith(Oid.Parse(Ups)));
        var last = await client.GetBulkAsync(sim.V2c("upsonly"), 0, 4, [all[^1].Oid]);
        last.Should().OnlyContain(v => v.Value.Type == SnmpType.EndOfMibView);
    }

    [Fact]
    public async Task GetBulk_honours_non_repeaters_and_max_repetitions()
    {
        await using var client = new SnmpClient();
        var r = await client.GetBulkAsync(sim.V2c(), 1, 3, [Oid.Parse("1.3.6.1.2.1.1.4"), Oid.Parse("1.3.6.1.2.1.33.1.1")]);
        r.Should().HaveCount(4);
        r[0].Oid.Should().Be(Oid.Parse("1.3.6.1.2.1.1.4.0"));
        r.Skip(1).Select(v => v.Oid.ToString()).Should().Equal("1.3.6.1.2.1.33.1.1.1.0", "1.3.6.1.2.1.33.1.1.2.0", "1.3.6.1.2.1.33.1.1.3.0");
    }

    [Fact]
    public async Task GetNext_returns_the_following_instance()
    {
        await using var client = new SnmpClient();
        var r = await client.GetNextAsync(sim.V2c(), [Oid.Parse("1.3.6.1.2.1.33.1.4.1")]);
        r.Single().Oid.Should().Be(Oid.Parse("1.3.6.1.2.1.33.1.4.1.0"));
        r.Single().Value.AsInt32().Should().Be(3);
    }

    [Fact]
    public async Task Set_writes_the_set_point_and_refuses_read_only_objects()
    {
        await using var client = new SnmpClient();
        var setPoint = Oid.Parse("1.3.6.1.4.1.476.1.42.3.4.1.3.1.0");
        var r = await client.SetAsync(sim.V2c("private"), [new VarBind(setPoint, SnmpValue.Integer32(21))]);
        r.Single().Value.AsInt32().Should().Be(21);
        (await client.GetAsync(sim.V2c(), [setPoint])).Single().Value.AsInt32().Should().Be(21);
        await client.SetAsync(sim.V2c("private"), [new VarBind(setPoint, SnmpValue.Integer32(22))]);

        var act = () => client.SetAsync(sim.V2c("private"), [new VarBind(Oid.Parse("1.3.6.1.2.1.33.1.2.4.0"), SnmpValue.Integer32(5))]);
        (await act.Should().ThrowAsync<SnmpErrorException>()).Which.Status.Should().Be(SnmpErrorStatus.NotWritable);
    }

    [Fact]
    public async Task Many_requests_in_flight_on_one_socket_all_get_their_own_answer()
    {
        await using var client = new SnmpClient();
        var oids = new[] { "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0", "1.3.6.1.2.1.1.4.0", "1.3.6.1.2.1.1.1.0" };
        var tasks = Enumerable.Range(0, 200).Select(i => client.GetAsync(sim.V2c(), [Oid.Parse(oids[i % 4])])).ToList();
        var results = await Task.WhenAll(tasks);
        for (var i = 0; i < results.Length; i++) results[i].Single().Oid.Should().Be(Oid.Parse(oids[i % 4]));
        results.Select(r => r.Single().Value.ToString()).Distinct().Should().HaveCount(4);
    }

    [Fact]
    public async Task Walk_of_the_10000_row_table_returns_every_row_in_order()
    {
        await using var client = new SnmpClient();
        var n = 0;
        await foreach (var vb in client.WalkAsync(sim.V2c(), Oid.Parse("1.3.6.1.4.1.8072.9999.10"), maxRepetitions: 50))
        {
            n++;
            vb.Value.AsInt32().Should().Be(n);
        }
        n.Should().Be(10_000);
    }

    [Fact]
    public async Task A_closed_port_times_out_after_the_retries()
    {
        await using var client = new SnmpClient();
        var target = new SnmpTarget(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Tools.FreeUdpPort())) { Timeout = TimeSpan.FromMilliseconds(200), Retries = 1 };
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var act = () => client.GetAsync(target, [Oid.Parse(SysName)]);
        (await act.Should().ThrowAsync<SnmpTimeoutException>()).Which.Message.Should().Contain("2 attempt");
        sw.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(350));
    }

    [Fact]
    public async Task Dispose_fails_pending_requests_and_stops_the_receiver()
    {
        var client = new SnmpClient();
        var target = new SnmpTarget(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Tools.FreeUdpPort())) { Timeout = TimeSpan.FromSeconds(30) };
        var pending = client.GetAsync(target, [Oid.Parse(SysName)]);
        client.IsReceiving.Should().BeTrue();
        await client.DisposeAsync();
        await pending.Invoking(p => p).Should().ThrowAsync<ObjectDisposedException>();
        (await Tools.EventuallyAsync(() => Task.FromResult(!client.IsReceiving), TimeSpan.FromSeconds(10))).Should().BeTrue();
    }

    [Fact]
    public async Task A_continuation_that_blocks_on_another_answer_does_not_deadlock_the_client()
    {
        await using var client = new SnmpClient();
        var target = sim.V2c();
        var work = Task.Run(async () =>
        {
            await client.GetAsync(target, [Oid.Parse(SysName)]).ConfigureAwait(false);
            // Now on the receive thread: block it on a second request, as careless caller code might.
            return client.GetAsync(target, [Oid.Parse("1.3.6.1.2.1.1.6.0")]).GetAwaiter().GetResult();
        });
        var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(20)));
        finished.Should().BeSameAs(work, "the sweeper hands receiving to a fresh thread");
        (await work).Single().Value.ToString().Should().Be("Simulated machine room");
    }

    [Fact]
    public async Task Cancellation_stops_a_pending_request()
    {
        await using var client = new SnmpClient();
        var target = new SnmpTarget(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Tools.FreeUdpPort())) { Timeout = TimeSpan.FromSeconds(30) };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var act = () => client.GetAsync(target, [Oid.Parse(SysName)], cts.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}

using DcAssets.Snmp.Tests.Infrastructure;
using DcAssets.Snmp.Usm;

namespace DcAssets.Snmp.Tests.Client;

[Collection(SnmpSimCollection.Name)]
public sealed class ClientV3Tests(SnmpSimFixture sim)
{
    private static readonly Oid SysName = Oid.Parse("1.3.6.1.2.1.1.5.0");

    public static TheoryData<string, AuthProtocol, PrivProtocol> Users() => new()
    {
        { "authPrivUser", AuthProtocol.Sha1, PrivProtocol.Aes128 },
        { "sha256User", AuthProtocol.Sha256, PrivProtocol.Aes128 },
        { "sha512User", AuthProtocol.Sha512, PrivProtocol.Aes128 },
        { "sha224User", AuthProtocol.Sha224, PrivProtocol.Aes128 },
        { "sha384User", AuthProtocol.Sha384, PrivProtocol.Aes128 },
        { "md5User", AuthProtocol.Md5, PrivProtocol.None },
        { "desUser", AuthProtocol.Md5, PrivProtocol.Des },
        { "authOnlyUser", AuthProtocol.Sha1, PrivProtocol.None },
        { "noAuthUser", AuthProtocol.None, PrivProtocol.None },
    };

    private static UsmUser User(string name, AuthProtocol a, PrivProtocol p) =>
        new(name, a, a == AuthProtocol.None ? null : "authpass123", p, p == PrivProtocol.None ? null : "privpass123");

    [Theory]
    [MemberData(nameof(Users))]
    public async Task Get_works_at_every_security_level(string name, AuthProtocol a, PrivProtocol p)
    {
        await using var client = new SnmpClient();
        var r = await client.GetAsync(sim.V3(User(name, a, p)), [SysName, Oid.Parse("1.3.6.1.2.1.33.1.2.4.0")]);
        r.Select(v => v.Value.ToString()).Should().Equal("sim-agent", "100");
    }

    [Theory]
    [InlineData("authPrivUser", AuthProtocol.Sha1)]
    [InlineData("sha256User", AuthProtocol.Sha256)]
    public async Task AuthPriv_walk_of_the_UPS_subtree_matches_snmpbulkwalk(string name, AuthProtocol a)
    {
        await using var client = new SnmpClient();
        var ours = new List<string>();
        await foreach (var vb in client.WalkAsync(sim.V3(User(name, a, PrivProtocol.Aes128)), Oid.Parse("1.3.6.1.2.1.33"))) ours.Add(SnmpFormatter.NetSnmpLine(vb));
        var theirs = await Tools.NetSnmpAsync("snmpbulkwalk", "-v3", "-l", "authPriv", "-u", name, "-a", a == AuthProtocol.Sha1 ? "SHA" : "SHA-256",
            "-A", "authpass123", "-x", "AES", "-X", "privpass123", "-On", sim.Agent, "1.3.6.1.2.1.33");
        ours.Should().HaveCountGreaterThan(20).And.Equal(theirs);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_wrong_digest()
    {
        await using var client = new SnmpClient();
        var act = () => client.GetAsync(sim.V3(new UsmUser("authPrivUser", AuthProtocol.Sha1, "wrongpass99", PrivProtocol.Aes128, "privpass123")), [SysName]);
        (await act.Should().ThrowAsync<SnmpSecurityException>()).Which.Error.Should().Be(SnmpSecurityError.WrongDigest);
    }

    [Theory]
    [InlineData("authPrivUser", AuthProtocol.Sha1, PrivProtocol.Aes128)]
    [InlineData("desUser", AuthProtocol.Md5, PrivProtocol.Des)]
    public async Task A_wrong_privacy_password_is_a_decryption_error_not_a_timeout(string name, AuthProtocol a, PrivProtocol p)
    {
        // snmpd logs "error parsing ScopedPDU" and stays silent; the client's authNoPriv probe gets an
        // authentic answer, which pins the failure on the privacy key.
        await using var client = new SnmpClient();
        var target = sim.V3(new UsmUser(name, a, "authpass123", p, "wrongpriv99")) with { Timeout = TimeSpan.FromMilliseconds(500), Retries = 1 };
        var act = () => client.GetAsync(target, [SysName]);
        var e = (await act.Should().ThrowAsync<SnmpSecurityException>()).Which;
        e.Error.Should().Be(SnmpSecurityError.DecryptionError);
        e.Message.Should().Contain("privacy");
    }

    [Fact]
    public async Task A_dead_agent_still_times_out_with_authPriv()
    {
        await using var client = new SnmpClient();
        var target = sim.V3(User("authPrivUser", AuthProtocol.Sha1, PrivProtocol.Aes128));
        var engine = await client.DiscoverAsync(target);
        var dead = target with { EndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Tools.FreeUdpPort()), Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 };
        client.SetEngine(dead.EndPoint, engine);
        var act = () => client.GetAsync(dead, [SysName]);
        await act.Should().ThrowAsync<SnmpTimeoutException>();
    }

    [Fact]
    public async Task An_unknown_user_is_reported_as_unknown_user_name()
    {
        await using var client = new SnmpClient();
        var act = () => client.GetAsync(sim.V3(new UsmUser("nobodyUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123")), [SysName]);
        (await act.Should().ThrowAsync<SnmpSecurityException>()).Which.Error.Should().Be(SnmpSecurityError.UnknownUserName);
    }

    [Fact]
    public async Task A_priv_user_at_authNoPriv_is_refused_by_the_agent()
    {
        await using var client = new SnmpClient();
        var act = () => client.GetAsync(sim.V3(new UsmUser("authPrivUser", AuthProtocol.Sha1, "authpass123")), [SysName]);
        (await act.Should().ThrowAsync<SnmpErrorException>()).Which.Status.Should().Be(SnmpErrorStatus.AuthorizationError);
    }

    [Fact]
    public async Task Discovery_learns_the_engine_id_from_the_config()
    {
        await using var client = new SnmpClient();
        var engine = await client.DiscoverAsync(sim.V3(User("noAuthUser", AuthProtocol.None, PrivProtocol.None)));
        // snmpd "engineID TEXT" gives 80001f88 04 + ASCII; ops/snmp-sim/start uses "sim<port>".
        Convert.ToHexStringLower(engine.EngineId).Should().Be("80001f8804" + Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes($"sim{sim.Port}")));
        engine.Estimate().Boots.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_stale_view_of_the_engine_clock_is_resynchronised_from_the_notInTimeWindow_report()
    {
        await using var client = new SnmpClient();
        var target = sim.V3(User("authPrivUser", AuthProtocol.Sha1, PrivProtocol.Aes128));
        var real = await client.DiscoverAsync(target);
        var (boots, time) = real.Estimate();
        // 1000 s ahead: outside the 150 s window, so the agent answers with an authenticated Report.
        var stale = new EngineState(real.EngineId, boots, time + 1000);
        client.SetEngine(target.EndPoint, stale);
        var r = await client.GetAsync(target, [SysName]);
        r.Single().Value.ToString().Should().Be("sim-agent");
        stale.Estimate().Time.Should().BeLessThan(time + 500, "the Report's engine time replaced ours");
    }

    [Fact]
    public async Task Forced_alarm_states_show_up_in_the_next_poll()
    {
        await using var client = new SnmpClient();
        var target = sim.V3(User("sha256User", AuthProtocol.Sha256, PrivProtocol.Aes128));
        var source = Oid.Parse("1.3.6.1.2.1.33.1.4.1.0");
        var returnAir = Oid.Parse("1.3.6.1.4.1.476.1.42.3.4.1.3.3.1.3.1");
        try
        {
            await sim.SetControlAsync("low_battery", "1");
            await sim.SetControlAsync("high_return_temp", "1");
            var r = await client.GetAsync(target, [source, Oid.Parse("1.3.6.1.2.1.33.1.2.1.0"), Oid.Parse("1.3.6.1.2.1.33.1.6.1.0"), returnAir]);
            r.Select(v => v.Value.AsInt64()).Should().Equal(5, 3, 2, 35);
            var alarms = new List<string>();
            await foreach (var vb in client.WalkAsync(target, Oid.Parse("1.3.6.1.2.1.33.1.6.2.1.2"))) alarms.Add(vb.Value.AsOid().ToString());
            alarms.Should().Equal("1.3.6.1.2.1.33.1.6.3.2", "1.3.6.1.2.1.33.1.6.3.3");
        }
        finally
        {
            await sim.SetControlAsync("low_battery", "0");
            await sim.SetControlAsync("high_return_temp", "0");
        }
        (await client.GetAsync(target, [source])).Single().Value.AsInt32().Should().Be(3);
    }
}

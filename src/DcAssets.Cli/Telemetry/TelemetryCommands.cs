using System.CommandLine;
using DcAssets.Snmp;
using DcAssets.Telemetry;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Cli.Telemetry;

/// <summary>
/// <c>dcassets telemetry check-profile|configure|remove|alarms|ack</c>: device profiles, polling configuration and
/// alarms from the shell.
/// </summary>
public sealed class TelemetryCommands : ICliModule
{
    private static readonly Actor CliActor = new($"cli:{Environment.UserName}", Environment.UserName, "admin",
        EventSources.Cli);

    public Command Build()
    {
        var t = new Command("telemetry",
            "SNMP telemetry: check YAML device profiles, configure or remove polling, list and acknowledge alarms");
        t.Subcommands.Add(CheckProfile());
        t.Subcommands.Add(Configure());
        t.Subcommands.Add(Remove());
        t.Subcommands.Add(Alarms());
        t.Subcommands.Add(Ack());
        return t;
    }

    private static Command CheckProfile()
    {
        var files = new Argument<string[]>("FILE") { Description = "profile YAML files",
            Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("check-profile",
            "validate YAML device profiles; errors name the file and line (exit 1)") { files };
        cmd.SetAction(pr =>
        {
            var failed = 0;
            foreach (var f in pr.GetValue(files)!)
            {
                try
                {
                    var p = ProfileYaml.Load(f);
                    Console.WriteLine($"{f}: ok ({p.Name}, {p.Kind.ToString().ToLowerInvariant()}, " +
                        $"{p.Readings.Count} readings, {p.Rules.Count} rules)");
                }
                catch (ProfileFormatException e) { Console.Error.WriteLine(e.Message); failed++; }
            }
            return failed == 0 ? 0 : 1;
        });
        return cmd;
    }

    private static Command Configure()
    {
        var asset = new Argument<string>("ASSET") { Description = "asset tag (a UPS or precision AC in the register)" };
        var address = new Option<string>("--address") { Required = true, Description = "agent IP or host name" };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 161 };
        var profile = new Option<string>("--profile") { Required = true,
            Description = "ups-mib, apc-powernet, liebert-ac or a YAML profile name" };
        var profiles =
            new Option<string?>("--profiles-dir") { Description = "directory of YAML profiles (default: " +
                "templates/snmp-profiles of the checkout)" };
        var interval = new Option<int>("--interval") { DefaultValueFactory = _ =>
            60, Description = $"seconds ({ConfigurePollingHandler.MinIntervalSeconds} to 86400)" };
        var version = new Option<string>("--version", "-v") { DefaultValueFactory = _ =>
            "2c", Description = "1, 2c or 3" };
        var community = new Option<string>("--community", "-c") { DefaultValueFactory = _ => "public" };
        var user = new Option<string?>("--user", "-u");
        var auth = new Option<string>("--auth-protocol", "-a") { DefaultValueFactory = _ => "none" };
        var authPass = new Option<string?>("--auth-password", "-A") { Description = "or DCASSETS_SNMP_AUTH_PASSWORD" };
        var priv = new Option<string>("--priv-protocol", "-x") { DefaultValueFactory = _ => "none" };
        var privPass = new Option<string?>("--priv-password", "-X") { Description = "or DCASSETS_SNMP_PRIV_PASSWORD" };
        var overrides = new Option<string?>("--rule-overrides")
        {
            Description =
                """per-asset rule changes as the API's JSON, e.g. '[{"rule":"output_overload","conditions":""" +
                """[{"reading":"output_load.*","op":"above","value":70}]}]' ('[]' clears; left out keeps)""",
        };
        var nominal =
            new Option<double?>("--nominal-input-voltage") { Description = "V, when the agent does not state it " +
                "(default 220)" };
        var trapCommunity =
            new Option<string?>("--trap-community") { Description = "community this unit's traps carry (tells apart " +
                "units behind one address; '' clears)" };
        var trapEngine =
            new Option<string?>("--trap-engine-id") { Description = "this unit's SNMP engine id in hex, for its v3 " +
                "traps ('' clears)" };
        var cmd = new Command("configure",
            "poll an asset (v3 passwords are sealed with DCASSETS_CREDENTIAL_KEY[_FILE])")
            { asset, address, port, profile, profiles, interval, version, community, user, auth, authPass, priv,
                privPass, overrides, nominal, trapCommunity, trapEngine };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var v = pr.GetValue(version) switch
            {
                "1" => SnmpVersion.V1, "2c" => SnmpVersion.V2c, "3" => SnmpVersion.V3,
                var x => throw new ArgumentException($"unknown SNMP version '{x}'")
            };
            V3UserInput? v3 = v != SnmpVersion.V3 ? null : new V3UserInput(
                pr.GetValue(user) ?? throw new ArgumentException("SNMPv3 needs --user"),
                UsmUser.ParseAuth(pr.GetValue(auth)!),
                pr.GetValue(authPass) ?? Environment.GetEnvironmentVariable("DCASSETS_SNMP_AUTH_PASSWORD"),
                UsmUser.ParsePriv(pr.GetValue(priv)!),
                pr.GetValue(privPass) ?? Environment.GetEnvironmentVariable("DCASSETS_SNMP_PRIV_PASSWORD"));
            var c = new ConfigurePolling(pr.GetValue(asset)!, pr.GetValue(address)!, pr.GetValue(profile)!,
                pr.GetValue(port), v,
                v == SnmpVersion.V3 ? null : pr.GetValue(community), v3, pr.GetValue(interval),
                RuleOverrides(pr.GetValue(overrides)),
                pr.GetValue(nominal), pr.GetValue(trapCommunity), pr.GetValue(trapEngine));
            // The same profiles the web node loads, so a configuration the CLI accepts is one the poller can use.
            var catalog = ProfileCatalog.Load(pr.GetValue(profiles) ?? ProfileCatalog.FindDirectory());
            using var store = await CliStore.OpenMartenAsync();
            var e = await ConfigurePollingHandler.RunAsync(store, CliActor, AssetRegister.In(store), c, catalog,
                CredentialSealer.FromEnvironment(), ct);
            Console.WriteLine($"{e.AssetId}: polled every {e.IntervalSeconds} s with {e.Profile} at " +
                $"{e.Address}:{e.Port}" +
                (e.RuleOverrides is { Count: > 0 } o ? $" ({o.Count} rule override{(o.Count == 1 ? "" : "s")})" : ""));
            return 0;
        });
        return cmd;
    }

    private static IReadOnlyList<RuleOverrideInput>? RuleOverrides(string? json)
    {
        if (json is null) return null;
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<List<RuleOverrideInput>>(json,
                System.Text.Json.JsonSerializerOptions.Web)
                ?? throw new ArgumentException("--rule-overrides: a JSON array is needed");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"--rule-overrides: not a JSON array of overrides ({e.Message})");
        }
    }

    private static Command Remove()
    {
        var asset = new Argument<string>("ASSET") { Description = "asset tag" };
        var cmd = new Command("remove", "stop polling an asset (its history stays)") { asset };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            using var store = await CliStore.OpenMartenAsync();
            var e = await RemovePollingHandler.RunAsync(store, CliActor, AssetRegister.In(store),
                new RemovePolling(pr.GetValue(asset)!), ct);
            Console.WriteLine($"{e.AssetId}: no longer polled");
            return 0;
        });
        return cmd;
    }

    private static Command Alarms()
    {
        var cmd = new Command("alarms", "list active alarms");
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            using var store = CliStore.OpenMarten();
            await using var q = store.QuerySession();
            var alarms = q.Query<ActiveAlarm>().OrderBy(a => a.RaisedAt);
            foreach (var a in await Marten.QueryableExtensions.ToListAsync(alarms, ct))
                Console.WriteLine($"{a.RaisedAt:u}  {a.Severity.ToString().ToLowerInvariant(),-7}  {a.AssetId}  " +
                    $"{a.Rule}  " +
                    $"{a.Message}{(a.AcknowledgedBy is null ? "" : $"  (acknowledged by {a.AcknowledgedBy})")}");
            return 0;
        });
        return cmd;
    }

    private static Command Ack()
    {
        var asset = new Argument<string>("ASSET");
        var rule = new Argument<string>("RULE") { Description = "e.g. on_battery" };
        var comment = new Option<string?>("--comment");
        var cmd = new Command("ack", "acknowledge an active alarm") { asset, rule, comment };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            using var store = await CliStore.OpenMartenAsync();
            try
            {
                var e = await AcknowledgeAlarmHandler.RunAsync(store, CliActor,
                    new AcknowledgeAlarm(pr.GetValue(asset)!, pr.GetValue(rule)!, pr.GetValue(comment)), ct);
                Console.WriteLine(e is null ? "already acknowledged" : $"acknowledged {e.AlarmId}");
                return 0;
            }
            catch (AlarmNotActiveException e) { Console.Error.WriteLine($"error: {e.Message}"); return 1; }
        });
        return cmd;
    }
}

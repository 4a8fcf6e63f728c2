using System.CommandLine;
using System.Net;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;

namespace DcAssets.Cli.Snmp;

/// <summary><c>dcassets snmp get|walk|bulkwalk|listen|decode</c>: net-snmp-like tools on our own client.</summary>
public sealed class SnmpCommands : ICliModule
{
    public Command Build()
    {
        var snmp = new Command("snmp", "SNMP v1/v2c/v3 tools: get, walk, bulkwalk, listen for traps, decode packets");
        snmp.Subcommands.Add(Get());
        snmp.Subcommands.Add(Walk("walk", "walk a subtree with GetNext (like snmpwalk)", bulk: false));
        snmp.Subcommands.Add(Walk("bulkwalk", "walk a subtree with GetBulk (like snmpbulkwalk)", bulk: true));
        snmp.Subcommands.Add(Listen());
        snmp.Subcommands.Add(SnmpDecodeCommand.Build());
        return snmp;
    }

    private static Command Get()
    {
        var o = new SnmpOptions();
        var agent = new Argument<string>("TARGET") { Description = "agent: host, host:port or udp:host:port" };
        var oids = new Argument<string[]>("OID") { Description = "numeric OIDs", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("get", "GET one or more OIDs") { agent, oids };
        foreach (var opt in o.Agent) cmd.Options.Add(opt);
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) => await RunAsync(async () =>
        {
            var target = o.TargetFrom(pr, pr.GetValue(agent)!);
            await using var client = new SnmpClient();
            foreach (var vb in await client.GetAsync(target, pr.GetValue(oids)!.Select(Oid.Parse), ct))
                Console.WriteLine(SnmpFormatter.NetSnmpLine(vb));
        }));
        return cmd;
    }

    private static Command Walk(string name, string description, bool bulk)
    {
        var o = new SnmpOptions();
        var agent = new Argument<string>("TARGET") { Description = "agent: host, host:port or udp:host:port" };
        var root = new Argument<string>("OID") { Description = "subtree (default 1.3.6.1.2.1)",
            DefaultValueFactory = _ => "1.3.6.1.2.1" };
        var reps = new Option<int>("--max-repetitions", "-Cr") { Description = "GetBulk max-repetitions",
            DefaultValueFactory = _ => 10 };
        // net-snmp writes it attached, -Cr50: that token unbundles to -C with "r50".
        var appOpts =
            new Option<string[]>("-C") { Description = "net-snmp style application option: -Cr<N> is " +
                "--max-repetitions N" };
        var cmd = new Command(name, description) { agent, root };
        foreach (var opt in o.Agent) cmd.Options.Add(opt);
        if (bulk) { cmd.Options.Add(reps); cmd.Options.Add(appOpts); }
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) => await RunAsync(async () =>
        {
            var target = o.TargetFrom(pr, pr.GetValue(agent)!);
            if (bulk && target.Version == SnmpVersion.V1) throw new ArgumentException("bulkwalk needs -v 2c or -v 3");
            var maxRepetitions = pr.GetValue(reps);
            foreach (var c in bulk ? pr.GetValue(appOpts) ?? [] : [])
            {
                if (c.Length < 2 || c[0] != 'r'
                    || !int.TryParse(c.AsSpan(1), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out maxRepetitions))
                    throw new ArgumentException($"-C{c}: unsupported application option (bulkwalk knows -Cr<N>)");
            }
            await using var client = new SnmpClient();
            await foreach (var vb in client.WalkAsync(target, Oid.Parse(pr.GetValue(root)!),
                bulk ? Math.Max(1, maxRepetitions) : 0, ct))
                Console.WriteLine(SnmpFormatter.NetSnmpLine(vb));
        }));
        return cmd;
    }

    private static Command Listen()
    {
        var o = new SnmpOptions();
        var port = new Option<int>("--port", "-p") { Description = "UDP port (162 needs root)",
            DefaultValueFactory = _ => 162 };
        var bind = new Option<string>("--address") { Description = "address to bind", DefaultValueFactory = _ =>
            "0.0.0.0" };
        var communities = new Option<string[]>("-c") { Description = "accepted communities (default: any)",
            AllowMultipleArgumentsPerToken = true };
        var engine = new Option<string?>("--engine-id") { Description = "our engine ID in hex, for v3 informs" };
        var cmd = new Command("listen", "print traps and informs (v1, v2c, v3) as they arrive") { port, bind,
            communities, engine };
        foreach (var opt in o.Credentials) cmd.Options.Add(opt);
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) => await RunAsync(async () =>
        {
            var user = o.UserFrom(pr);
            var cs = pr.GetValue(communities);
            await using var listener =
                new SnmpTrapListener(new IPEndPoint(IPAddress.Parse(pr.GetValue(bind)!), pr.GetValue(port)),
                new SnmpTrapListenerOptions
            {
                Communities = cs is { Length: > 0 } ? cs : null,
                Users = user is null ? [] : [user],
                EngineId = pr.GetValue(engine) is { } hex
                    ? Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex)
                    : null,
            });
            Console.Error.WriteLine($"listening on udp:{listener.LocalEndPoint} (engine " +
                $"{Convert.ToHexStringLower(listener.EngineId)}); Ctrl-C stops");
            try
            {
                await foreach (var n in listener.ReadAllAsync(ct))
                {
                    var who = n.Version == SnmpVersion.V3 ? $"user {n.UserName}" : $"community {n.Community}";
                    Console.WriteLine($"{n.ReceivedAt:yyyy-MM-dd HH:mm:ss} {n.Source} {VersionText(n.Version)} " +
                        $"{SnmpPdu.WireName(n.PduType)} ({who}) .{n.TrapOid}");
                    foreach (var vb in n.VarBinds) Console.WriteLine("  " + SnmpFormatter.NetSnmpLine(vb));
                    Console.Out.Flush();
                }
            }
            catch (OperationCanceledException) { }
        }));
        return cmd;
    }

    internal static string VersionText(SnmpVersion v) =>
        v switch { SnmpVersion.V1 => "v1", SnmpVersion.V2c => "v2c", _ => "v3" };

    /// <summary>Maps failures to messages like net-snmp's and exit code 1 (2 for bad arguments).</summary>
    private static async Task<int> RunAsync(Func<Task> body)
    {
        try
        {
            await body();
            return 0;
        }
        catch (SnmpTimeoutException e) { Console.Error.WriteLine($"Timeout: No Response from {e.Target}."); return 1; }
        catch (SnmpErrorException e)
        {
            Console.Error.WriteLine($"Error in packet.\nReason: {e.Status}");
            if (e.Index > 0 && e.Index <= e.Response.VarBinds.Count)
                Console.Error.WriteLine($"Failed object: .{e.Response.VarBinds[e.Index - 1].Oid}");
            return 1;
        }
        catch (SnmpException e) { Console.Error.WriteLine(e.Message); return 1; }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }
}

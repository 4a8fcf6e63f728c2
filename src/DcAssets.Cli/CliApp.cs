using System.CommandLine;

namespace DcAssets.Cli;

/// <summary>
/// A group of subcommands (snmp, users, projections, ...). Found by reflection, so adding one is adding a file.
/// </summary>
public interface ICliModule
{
    Command Build();
}

public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root =
            new RootCommand("dcassets — machine-room assets, inspections, access, configs, telemetry and faults, " +
                "as provable history");
        var modules = typeof(CliApp).Assembly.GetTypes()
            .Where(t => typeof(ICliModule).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => ((ICliModule)Activator.CreateInstance(t)!).Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var command in modules) root.Subcommands.Add(command);
        try
        {
            return await root.Parse(args)
                .InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException
            or FormatException or System.Data.Common.DbException)
        {
            // Expected failures read as one line, not a stack trace.
            Console.Error.WriteLine($"error: {ex.Message.Split('\n', 2)[0].TrimEnd()}");
            return 1;
        }
    }
}

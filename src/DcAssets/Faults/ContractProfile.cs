using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DcAssets.Faults;

/// <summary>One fault level of a contract: its words and how soon a fault of it must be restored.</summary>
public sealed record FaultLevelTerms(string Id, string Name, string Definition, TimeSpan RestoreWithin);

/// <summary>What the contract holds the team to over a period (the KPIs' targets).</summary>
public sealed record ContractTargets(int MaxMajor, int MaxUrgent, TimeSpan MeanRestore, double EliminationRate,
    double ResponseRate);

/// <summary>
/// The contract's fault terms (templates/contracts/*.yaml, edited by the people who run DcAssets): the levels with
/// their restore limits, the response and first-report limits, and the period's targets. Deadlines are computed
/// from these, never typed.
/// </summary>
public sealed record ContractProfile(string Name, TimeSpan RespondWithin, TimeSpan FirstReportWithin,
    IReadOnlyList<FaultLevelTerms> Levels, ContractTargets Targets)
{
    public FaultLevelTerms? Level(string? id) =>
        Levels.FirstOrDefault(l => string.Equals(l.Id, id, StringComparison.Ordinal));

    /// <summary>The shipped profile, seeded from the contracts (templates/contracts/default.yaml).</summary>
    public static string DefaultPath(string root) => Path.Combine(root, "templates", "contracts", "default.yaml");

    public static ContractProfile Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Reads a profile; what cannot be used is refused naming the file, the line and the key.</summary>
    public static ContractProfile Parse(string yaml, string source = "contract")
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new ContractFormatException(source, e.Start.Line, e.Message); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ContractFormatException(source, 1, "a contract is a mapping with name, levels and targets");
        YamlNode Node(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n
                : throw new ContractFormatException(source, m.Start.Line, $"'{key}' is missing");
        string Text(YamlMappingNode m, string key) =>
            Node(m, key) is YamlScalarNode { Value: { Length: > 0 } v } ? v
                : throw new ContractFormatException(source, Node(m, key).Start.Line, $"'{key}' must be a text");
        double Number(YamlMappingNode m, string key, double min, double max)
        {
            var n = Node(m, key);
            return n is YamlScalarNode { Value: { } v }
                && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && d >= min && d <= max
                ? d : throw new ContractFormatException(source, n.Start.Line,
                    $"'{key}' must be a number from {min} to {max}");
        }

        var levels = new List<FaultLevelTerms>();
        if (Node(root, "levels") is not YamlSequenceNode list || list.Children.Count == 0)
            throw new ContractFormatException(source, Node(root, "levels").Start.Line, "'levels' must list the levels");
        foreach (var item in list)
        {
            if (item is not YamlMappingNode l)
                throw new ContractFormatException(source, item.Start.Line, "a level is a mapping with id and name");
            var id = Text(l, "id");
            if (levels.Any(x => x.Id == id))
                throw new ContractFormatException(source, l.Start.Line, $"level '{id}' appears twice");
            levels.Add(new FaultLevelTerms(id, Text(l, "name"), Text(l, "definition"),
                TimeSpan.FromHours(Number(l, "restore_hours", 0.01, 24 * 365))));
        }
        if (Node(root, "targets") is not YamlMappingNode t)
            throw new ContractFormatException(source, Node(root, "targets").Start.Line, "'targets' must be a mapping");
        return new ContractProfile(Text(root, "name"),
            TimeSpan.FromMinutes(Number(root, "response_minutes", 1, 24 * 60)),
            TimeSpan.FromMinutes(Number(root, "first_report_minutes", 1, 24 * 60)), levels,
            new ContractTargets((int)Number(t, "max_major", 0, 10_000), (int)Number(t, "max_urgent", 0, 10_000),
                TimeSpan.FromHours(Number(t, "mean_restore_hours", 0.01, 24 * 365)),
                Number(t, "elimination_rate", 0, 1), Number(t, "response_rate", 0, 1)));
    }
}

/// <summary>A contract profile that cannot be used; the message names the file and line.</summary>
public sealed class ContractFormatException(string source, long line, string reason)
    : Exception($"{source}:{line}: {reason}");

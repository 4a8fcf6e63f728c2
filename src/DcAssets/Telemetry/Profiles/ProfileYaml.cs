using System.Globalization;
using DcAssets.Telemetry.Alarms;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DcAssets.Telemetry.Profiles;

/// <summary>A profile file that cannot be used; the message names the file and line.</summary>
public sealed class ProfileFormatException(string source, long line, string reason)
    : Exception($"{source}:{line}: {reason}")
{
    public string File { get; } = source;
    public long Line { get; } = line;
    public string Reason { get; } = reason;
}

/// <summary>
/// Reads a generic profile from YAML (see templates/snmp-profiles/). Walks the node tree rather than
/// binding to classes so every error, syntactic or not, can point at the line that caused it.
/// </summary>
public static class ProfileYaml
{
    public static DeviceProfile Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static DeviceProfile Parse(string yaml, string source = "profile")
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new ProfileFormatException(source, e.Start.Line, Clean(e)); }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner sometimes fails without a position; the line after the last good token is where it
            // broke.
            throw new ProfileFormatException(source, LastGoodLine(yaml),
                "malformed YAML (an unclosed bracket, brace or quote?)");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ProfileFormatException(source, 1, "a profile is a mapping with name, kind and readings");
        var p = new Reader(source);

        var name = p.Text(root, "name");
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9._-]{0,63}$"))
            throw p.Error(p.Node(root, "name"), $"name '{name}' must be lower-case letters, digits, '.', '_' or '-'");
        var kindText = p.Text(root, "kind");
        var kind = kindText switch
        {
            "ups" => DeviceKind.Ups, "ac" => DeviceKind.Ac,
            _ => throw p.Error(p.Node(root, "kind"), $"kind '{kindText}' must be ups or ac"),
        };

        var readings = new List<ReadingDefinition>();
        foreach (var item in p.Sequence(root, "readings"))
        {
            var m = p.Mapping(item, "reading");
            var rn = p.Text(m, "name");
            var oid = p.Text(m, "oid").TrimStart('.');
            if (!DcAssets.Snmp.Oid.TryParse(oid, out _))
                throw p.Error(p.Node(m, "oid"), $"'{oid}' is not a numeric OID");
            var scale = p.OptionalNumber(m, "scale") ?? 1;
            if (scale == 0) throw p.Error(p.Node(m, "scale"), "scale cannot be 0");
            if (readings.Any(r => r.Name == rn)) throw p.Error(p.Node(m, "name"), $"reading '{rn}' is defined twice");
            readings.Add(new ReadingDefinition(rn, oid, p.OptionalText(m, "unit") ?? "", scale));
        }
        if (readings.Count == 0) throw p.Error(p.Node(root, "readings"), "a profile needs at least one reading");

        var rules = root.Children.ContainsKey(new YamlScalarNode("rules"))
            ? p.Sequence(root, "rules").Select(n => p.Rule(n, readings)).ToList()
            : kind == DeviceKind.Ups ? DefaultRules.Ups(DefaultRules.OnBattery("output_source", 5)) : DefaultRules.Ac();
        return new DeviceProfile(name, kind, readings, rules)
        {
            AlarmTable = p.OptionalText(root, "alarm_table")?.TrimStart('.'),
            AlarmCount = p.OptionalText(root, "alarm_count"),
        };
    }

    private static long LastGoodLine(string yaml)
    {
        var scanner = new Scanner(new StringReader(yaml));
        long line = 1;
        try { while (scanner.MoveNext()) line = scanner.Current!.End.Line; }
        catch (Exception e) when (e is YamlException or InvalidOperationException) { }
        return line;
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 40) - (...):" which the line number already says.
    private static string Clean(YamlException e)
    {
        var msg = e.InnerException?.Message ?? e.Message;
        var cut = msg.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? msg[(cut + 3)..] : msg;
    }

    private sealed class Reader(string source)
    {
        public ProfileFormatException Error(YamlNode node, string reason) => new(source, node.Start.Line, reason);

        public YamlNode Node(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw Error(m, $"'{key}' is missing");

        public YamlMappingNode Mapping(YamlNode n, string what) =>
            n as YamlMappingNode ?? throw Error(n, $"a {what} must be a mapping");

        public string Text(YamlMappingNode m, string key) =>
            Node(m, key) is YamlScalarNode { Value: { Length: > 0 } v }
                ? v : throw Error(Node(m, key), $"'{key}' must be a non-empty value");

        public string? OptionalText(YamlMappingNode m, string key) =>
            m.Children.ContainsKey(new YamlScalarNode(key)) ? Text(m, key) : null;

        public double? OptionalNumber(YamlMappingNode m, string key)
        {
            var t = OptionalText(m, key);
            if (t is null) return null;
            if (t.Contains('/'))
            {
                var parts = t.Split('/');
                if (parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var a)
                    && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var b) && b != 0) return a / b;
            }
            return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d : throw Error(Node(m, key), $"'{key}' must be a number, not '{t}'");
        }

        public int Polls(YamlMappingNode m, string key)
        {
            var n = OptionalNumber(m, key) ?? 1;
            return n is >= 1 and <= 1000 && n == Math.Floor(n)
                ? (int)n : throw Error(Node(m, key), $"'{key}' must be a whole number from 1 to 1000");
        }

        public IEnumerable<YamlNode> Sequence(YamlMappingNode m, string key) =>
            Node(m, key) as YamlSequenceNode ?? throw Error(Node(m, key), $"'{key}' must be a list");

        public AlarmRule Rule(YamlNode n, List<ReadingDefinition> readings)
        {
            var m = Mapping(n, "rule");
            var id = Text(m, "id");
            var sevText = Text(m, "severity");
            var severity = Enum.TryParse<FaultLevel>(sevText, true, out var s)
                ? s : throw Error(Node(m, "severity"), $"severity '{sevText}' must be major, urgent or general");
            var conditions = new List<AlarmCondition>();
            foreach (var cn in Sequence(m, "conditions"))
            {
                var c = Mapping(cn, "condition");
                var reading = Text(c, "reading");
                if (!readings.Any(r => new AlarmCondition(reading, Comparison.Equal, 0).Matches(r.Name)))
                    throw Error(Node(c, "reading"),
                        $"rule '{id}' tests reading '{reading}', which the profile does not define");
                var opText = Text(c, "op");
                var op = Enum.TryParse<Comparison>(opText.Replace("_", ""), true, out var o)
                    ? o : throw Error(Node(c, "op"),
                    $"op '{opText}' must be above, below, equal, not_equal or outside");
                var value = OptionalNumber(c, "value") ?? throw Error(c, "'value' is missing");
                var high = OptionalNumber(c, "high");
                if (op == Comparison.Outside && high is null) throw Error(c, "'outside' needs both value and high");
                var relativeTo = OptionalText(c, "relative_to");
                if (relativeTo is not null && relativeTo != DefaultRules.NominalInputVoltage
                    && readings.All(r => r.Name != relativeTo))
                    throw Error(Node(c, "relative_to"),
                        $"rule '{id}' is relative to '{relativeTo}', which the profile does not define");
                conditions.Add(new AlarmCondition(reading, op, value, high,
                    OptionalNumber(c, "hysteresis") ?? 0) { RelativeTo = relativeTo });
            }
            return new AlarmRule(id, severity, conditions)
            {
                RaiseAfter = TimeSpan.FromSeconds(OptionalNumber(m, "raise_after_seconds") ?? 0),
                ClearAfter = TimeSpan.FromSeconds(OptionalNumber(m, "clear_after_seconds") ?? 0),
                RaiseAfterPolls = Polls(m, "raise_after_polls"), ClearAfterPolls = Polls(m, "clear_after_polls"),
                Description = OptionalText(m, "description"),
            };
        }
    }
}

namespace DcAssets.Telemetry.Profiles;

/// <summary>
/// The profiles a node knows: the built-in ones plus every *.yaml under a directory (templates/snmp-profiles/).
/// </summary>
public sealed class ProfileCatalog
{
    private readonly Dictionary<string, DeviceProfile> _byName = new(StringComparer.Ordinal);

    public ProfileCatalog(IEnumerable<DeviceProfile>? extra = null)
    {
        foreach (var p in BuiltInProfiles.All.Concat(extra ?? [])) _byName[p.Name] = p;
    }

    /// <summary>
    /// Built-ins plus the directory's YAML files. A bad file fails the load with its name and line, or,
    /// given <paramref name="onError"/>, is reported there and left out so the other profiles still work.
    /// </summary>
    public static ProfileCatalog Load(string? directory, Action<ProfileFormatException>? onError = null)
    {
        if (directory is null || !Directory.Exists(directory)) return new ProfileCatalog();
        var files = Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml"))
            .Order(StringComparer.Ordinal);
        var loaded = new List<DeviceProfile>();
        foreach (var f in files)
        {
            try { loaded.Add(ProfileYaml.Load(f)); }
            catch (ProfileFormatException e) when (onError is not null) { onError(e); }
        }
        return new ProfileCatalog(loaded);
    }

    /// <summary>
    /// templates/snmp-profiles of the checkout or install a process runs from (working directory first), or null.
    /// </summary>
    public static string? FindDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "templates", "snmp-profiles");
                if (Directory.Exists(candidate)) return candidate;
            }
        return null;
    }

    public IReadOnlyCollection<DeviceProfile> All => _byName.Values;

    public DeviceProfile Get(string name) =>
        _byName.TryGetValue(name, out var p)
            ? p : throw new ArgumentException($"unknown device profile '{name}' (known: " +
                $"{string.Join(", ", _byName.Keys.Order())})");

    public bool Contains(string name) => _byName.ContainsKey(name);
}

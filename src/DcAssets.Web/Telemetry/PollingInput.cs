using DcAssets.Assets;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Web.Telemetry;

/// <summary>The SNMPv3 user as the API takes it: protocols by name (sha, sha256, aes, des, none), passwords only ever inbound.</summary>
public sealed record V3UserBody(string? Name, string? AuthProtocol = null, string? AuthPassword = null, string? PrivProtocol = null, string? PrivPassword = null);

/// <summary>PUT /api/v1/telemetry/devices/{assetId}/polling. Version is "1", "2c" or "3"; port 161 and 60 s unless given.</summary>
public sealed record PollingBody(string? Address, string? Profile, int? Port = null, string? Version = null, string? Community = null,
    V3UserBody? V3User = null, int? IntervalSeconds = null);

/// <summary>What the API shows of a polling configuration: v3 passwords are only said to be there, never returned.</summary>
public sealed record PollingView(string AssetId, string Address, int Port, SnmpVersion Version, string Profile, int IntervalSeconds,
    string? Community, V3UserView? V3User)
{
    public static PollingView Of(PollingConfigured c) => new(c.AssetId, c.Address, c.Port, c.Version, c.Profile, c.IntervalSeconds, c.Community,
        c.V3User is { } u ? new V3UserView(u.Name, u.Auth, u.Priv, u.AuthPasswordSealed is not null, u.PrivPasswordSealed is not null) : null);
}

public sealed record V3UserView(string Name, AuthProtocol AuthProtocol, PrivProtocol PrivProtocol, bool HasAuthPassword, bool HasPrivPassword);

public static class PollingInput
{
    /// <summary>
    /// Checks the body field by field (each problem names its field) against the asset it is for, then
    /// leaves sealing and the remaining rules to <see cref="ConfigurePollingHandler"/>.
    /// </summary>
    public static ConfigurePolling ToCommand(Asset asset, PollingBody b, ProfileCatalog profiles)
    {
        var p = new DcAssets.Problems();
        if (asset.Details.Category is not (AssetCategory.Ups or AssetCategory.PrecisionAc))
            p.Add("assetId", $"{asset.Tag} is a {AssetVocabulary.Name(asset.Details.Category)}; only UPS and precision AC assets are polled");
        if (string.IsNullOrWhiteSpace(b.Address)) p.Add("address", "an IP address or host name is needed");
        if (b.Port is < 1 or > 65535) p.Add("port", "must be 1 to 65535");
        if (b.IntervalSeconds is < 1 or > 86400) p.Add("intervalSeconds", "must be 1 s to 1 day (86400)");
        if (string.IsNullOrWhiteSpace(b.Profile) || !profiles.Contains(b.Profile))
            p.Add("profile", $"one of: {string.Join(", ", profiles.All.Select(x => x.Name).Order())}");
        else if ((profiles.Get(b.Profile).Kind == DeviceKind.Ups) != (asset.Details.Category == AssetCategory.Ups))
            p.Add("profile", $"'{b.Profile}' is a {profiles.Get(b.Profile).Kind.ToString().ToUpperInvariant()} profile; {asset.Tag} is a {AssetVocabulary.Name(asset.Details.Category)}");
        var version = (b.Version ?? "2c").Trim().TrimStart('v', 'V') switch { "1" => SnmpVersion.V1, "2c" or "2" => SnmpVersion.V2c, "3" => SnmpVersion.V3, _ => (SnmpVersion?)null };
        if (version is null) p.Add("version", "must be 1, 2c or 3");
        V3UserInput? user = null;
        if (version == SnmpVersion.V3) user = V3User(b.V3User, p);
        else if (b.Community is { Length: 0 }) p.Add("community", "v1/v2c polling needs a community");
        p.ThrowIfAny();
        return new ConfigurePolling(asset.Tag, b.Address!.Trim(), b.Profile!, b.Port ?? 161, version!.Value,
            version == SnmpVersion.V3 ? null : b.Community ?? "public", user, b.IntervalSeconds ?? 60);
    }

    private static V3UserInput? V3User(V3UserBody? u, DcAssets.Problems p)
    {
        if (u is null) { p.Add("v3User", "SNMPv3 needs a user"); return null; }
        if (string.IsNullOrEmpty(u.Name) || u.Name.Length > 32) p.Add("v3User.name", "a USM user name has 1 to 32 characters");
        AuthProtocol auth = AuthProtocol.None;
        PrivProtocol priv = PrivProtocol.None;
        try { auth = UsmUser.ParseAuth(u.AuthProtocol ?? "none"); } catch (ArgumentException) { p.Add("v3User.authProtocol", "none, md5, sha, sha224, sha256, sha384 or sha512"); }
        try { priv = UsmUser.ParsePriv(u.PrivProtocol ?? "none"); } catch (ArgumentException) { p.Add("v3User.privProtocol", "none, des or aes"); }
        if (auth == AuthProtocol.None && priv != PrivProtocol.None) p.Add("v3User.privProtocol", "privacy needs authentication");
        if (auth != AuthProtocol.None && (u.AuthPassword?.Length ?? 0) < 8) p.Add("v3User.authPassword", "at least 8 characters");
        if (priv != PrivProtocol.None && (u.PrivPassword?.Length ?? 0) < 8) p.Add("v3User.privPassword", "at least 8 characters");
        return new V3UserInput(u.Name ?? "", auth, auth == AuthProtocol.None ? null : u.AuthPassword, priv, priv == PrivProtocol.None ? null : u.PrivPassword);
    }
}

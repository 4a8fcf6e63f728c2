using System.CommandLine;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;

namespace DcAssets.Cli.Snmp;

/// <summary>net-snmp style agent and credential options shared by the snmp subcommands.</summary>
internal sealed class SnmpOptions
{
    public readonly Option<string> Version = new("-v") { Description = "SNMP version: 1, 2c or 3", DefaultValueFactory = _ => "2c" };
    public readonly Option<string> Community = new("-c") { Description = "community (v1/v2c)", DefaultValueFactory = _ => "public" };
    public readonly Option<string?> User = new("-u") { Description = "v3 user name" };
    public readonly Option<string?> Level = new("-l") { Description = "v3 security level: noAuthNoPriv, authNoPriv or authPriv" };
    public readonly Option<string?> AuthProto = new("-a") { Description = "auth protocol: MD5, SHA, SHA224, SHA256, SHA384, SHA512" };
    public readonly Option<string?> AuthPass = new("-A") { Description = "auth pass phrase" };
    public readonly Option<string?> PrivProto = new("-x") { Description = "privacy protocol: DES or AES" };
    public readonly Option<string?> PrivPass = new("-X") { Description = "privacy pass phrase" };
    public readonly Option<double> Timeout = new("-t") { Description = "seconds per attempt", DefaultValueFactory = _ => 1.0 };
    public readonly Option<int> Retries = new("-r") { Description = "retries", DefaultValueFactory = _ => 5 };

    public IEnumerable<Option> Agent => [Version, Community, .. Credentials, Timeout, Retries];
    public IEnumerable<Option> Credentials => [User, Level, AuthProto, AuthPass, PrivProto, PrivPass];

    /// <summary>The v3 user from -u/-l/-a/-A/-x/-X, or null when no auth or priv options were given.</summary>
    public UsmUser? UserFrom(ParseResult pr, string? nameOverride = null)
    {
        var name = pr.GetValue(User) ?? nameOverride;
        if (name is null) return null;
        var level = pr.GetValue(Level);
        var auth = pr.GetValue(AuthProto) is { } a ? UsmUser.ParseAuth(a) : pr.GetValue(AuthPass) is null ? AuthProtocol.None : AuthProtocol.Md5;
        var priv = pr.GetValue(PrivProto) is { } x ? UsmUser.ParsePriv(x) : pr.GetValue(PrivPass) is null ? PrivProtocol.None : PrivProtocol.Des;
        switch (level?.ToLowerInvariant())
        {
            case "noauthnopriv": auth = AuthProtocol.None; priv = PrivProtocol.None; break;
            case "authnopriv": priv = PrivProtocol.None; break;
            case "authpriv" or null: break;
            default: throw new ArgumentException($"unknown security level '{level}'");
        }
        if (level is null && pr.GetValue(AuthPass) is null) { auth = AuthProtocol.None; priv = PrivProtocol.None; }
        return new UsmUser(name, auth, auth == AuthProtocol.None ? null : pr.GetValue(AuthPass),
            priv, priv == PrivProtocol.None ? null : pr.GetValue(PrivPass));
    }

    public SnmpTarget TargetFrom(ParseResult pr, string agent)
    {
        var version = pr.GetValue(Version) switch
        {
            "1" => SnmpVersion.V1,
            "2c" or "2" => SnmpVersion.V2c,
            "3" => SnmpVersion.V3,
            var v => throw new ArgumentException($"unknown SNMP version '{v}'"),
        };
        var ep = SnmpTarget.ParseEndPoint(agent);
        var user = version == SnmpVersion.V3 ? UserFrom(pr) ?? throw new ArgumentException("-v 3 needs -u USER") : null;
        return new SnmpTarget(ep, version, pr.GetValue(Community) ?? "public", user)
        {
            Timeout = TimeSpan.FromSeconds(pr.GetValue(Timeout)), Retries = pr.GetValue(Retries),
        };
    }
}

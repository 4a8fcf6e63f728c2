using System.CommandLine;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;

namespace DcAssets.Cli.Snmp;

/// <summary>net-snmp style agent and credential options shared by the snmp subcommands.</summary>
internal sealed class SnmpOptions
{
    public readonly Option<string> Version = new("-v") { Description = "SNMP version: 1, 2c or 3",
        DefaultValueFactory = _ => "2c" };
    public readonly Option<string> Community = new("-c") { Description = "community (v1/v2c)",
        DefaultValueFactory = _ => "public" };
    public readonly Option<string?> User = new("-u") { Description = "v3 user name" };
    public readonly Option<string?> Level = new("-l")
    {
        Description = "v3 security level: noAuthNoPriv, authNoPriv or authPriv (default: what -A/-X imply)"
    };
    public readonly Option<string?> AuthProto =
        new("-a") { Description = "auth protocol: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512 (default MD5)" };
    public readonly Option<string?> AuthPass = new("-A") { Description = "auth pass phrase (at least 8 characters)" };
    public readonly Option<string?> PrivProto =
        new("-x") { Description = "privacy protocol: DES or AES (default DES)" };
    public readonly Option<string?> PrivPass =
        new("-X") { Description = "privacy pass phrase (at least 8 characters)" };
    public readonly Option<double> Timeout = new("-t") { Description = "seconds per attempt", DefaultValueFactory = _ =>
        1.0 };
    public readonly Option<int> Retries = new("-r") { Description = "retries", DefaultValueFactory = _ => 5 };

    public IEnumerable<Option> Agent => [Version, Community, .. Credentials, Timeout, Retries];
    public IEnumerable<Option> Credentials => [User, Level, AuthProto, AuthPass, PrivProto, PrivPass];

    /// <summary>
    /// The v3 user from -u/-l/-a/-A/-x/-X, or null without a user name. Refuses, as net-snmp does, an
    /// unknown level or protocol and a level whose pass phrases are missing or shorter than 8 characters
    /// (<see cref="ArgumentException"/>, one line). Without -l the level is what the pass phrases imply.
    /// </summary>
    public UsmUser? UserFrom(ParseResult pr, string? nameOverride = null)
    {
        var authProto = pr.GetValue(AuthProto) is { } a ? ParseAuth(a) : AuthProtocol.Md5;
        var privProto = pr.GetValue(PrivProto) is { } x ? ParsePriv(x) : PrivProtocol.Des;
        var authPass = pr.GetValue(AuthPass);
        var privPass = pr.GetValue(PrivPass);
        var level = pr.GetValue(Level) is { } l ? ParseLevel(l)
            : privPass is not null ? SecurityLevel.AuthPriv
            : authPass is not null ? SecurityLevel.AuthNoPriv
            : SecurityLevel.NoAuthNoPriv;
        var levelName = level switch
        {
            SecurityLevel.AuthPriv => "authPriv", SecurityLevel.AuthNoPriv => "authNoPriv", _ => "noAuthNoPriv"
        };
        if (level >= SecurityLevel.AuthNoPriv) CheckPass(authPass, "-A", "an authentication", levelName);
        if (level == SecurityLevel.AuthPriv) CheckPass(privPass, "-X", "a privacy", levelName);
        var name = pr.GetValue(User) ?? nameOverride;
        if (name is null) return null;
        if (name.Length is 0 or > 32) throw new ArgumentException("-u: a USM user name has 1 to 32 characters");
        return level switch
        {
            SecurityLevel.AuthPriv => new UsmUser(name, authProto, authPass, privProto, privPass),
            SecurityLevel.AuthNoPriv => new UsmUser(name, authProto, authPass),
            _ => new UsmUser(name),
        };
    }

    private static void CheckPass(string? pass, string option, string what, string level)
    {
        if (pass is null) throw new ArgumentException($"-l {level} needs {what} pass phrase ({option})");
        if (pass.Length < 8)
            throw new ArgumentException($"{option}: the pass phrase must have at least 8 characters (RFC 3414 §11.2)");
    }

    /// <summary>net-snmp's spellings: noAuthNoPriv|1|nanp, authNoPriv|2|anp, authPriv|3|ap.</summary>
    private static SecurityLevel ParseLevel(string s) => s.ToLowerInvariant() switch
    {
        "noauthnopriv" or "1" or "nanp" => SecurityLevel.NoAuthNoPriv,
        "authnopriv" or "2" or "anp" => SecurityLevel.AuthNoPriv,
        "authpriv" or "3" or "ap" => SecurityLevel.AuthPriv,
        _ => throw new ArgumentException($"-l: unknown security level '{s}' (noAuthNoPriv, authNoPriv, authPriv)"),
    };

    private static AuthProtocol ParseAuth(string s) => s.Replace("-", "").ToUpperInvariant() switch
    {
        "MD5" => AuthProtocol.Md5, "SHA" or "SHA1" => AuthProtocol.Sha1, "SHA224" => AuthProtocol.Sha224,
        "SHA256" => AuthProtocol.Sha256, "SHA384" => AuthProtocol.Sha384, "SHA512" => AuthProtocol.Sha512,
        _ => throw new ArgumentException($"-a: unknown authentication protocol '{s}' (MD5, SHA, SHA-224, SHA-256, " +
            $"SHA-384, SHA-512)"),
    };

    private static PrivProtocol ParsePriv(string s) => s.Replace("-", "").ToUpperInvariant() switch
    {
        "DES" => PrivProtocol.Des, "AES" or "AES128" => PrivProtocol.Aes128,
        _ => throw new ArgumentException($"-x: unknown privacy protocol '{s}' (DES, AES)"),
    };

    public SnmpTarget TargetFrom(ParseResult pr, string agent)
    {
        var version = pr.GetValue(Version) switch
        {
            "1" => SnmpVersion.V1,
            "2c" or "2" => SnmpVersion.V2c,
            "3" => SnmpVersion.V3,
            var v => throw new ArgumentException($"-v: unknown SNMP version '{v}' (1, 2c, 3)"),
        };
        var ep = SnmpTarget.ParseEndPoint(agent);
        var user = version == SnmpVersion.V3 ? UserFrom(pr) ?? throw new ArgumentException("-v 3 needs -u USER") : null;
        return new SnmpTarget(ep, version, pr.GetValue(Community) ?? "public", user)
        {
            Timeout = TimeSpan.FromSeconds(pr.GetValue(Timeout)), Retries = pr.GetValue(Retries),
        };
    }
}

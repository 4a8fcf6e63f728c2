namespace DcAssets.Snmp.Usm;

public enum AuthProtocol { None, Md5, Sha1, Sha224, Sha256, Sha384, Sha512 }

public enum PrivProtocol { None, Des, Aes128 }

public enum SecurityLevel { NoAuthNoPriv, AuthNoPriv, AuthPriv }

/// <summary>
/// A USM user with its passwords; keys are derived and localized per engine by <see cref="UsmKeyCache"/>.
/// </summary>
public sealed record UsmUser(
    string Name,
    AuthProtocol Auth = AuthProtocol.None,
    string? AuthPassword = null,
    PrivProtocol Priv = PrivProtocol.None,
    string? PrivPassword = null)
{
    public SecurityLevel Level => Auth == AuthProtocol.None ? SecurityLevel.NoAuthNoPriv
        : Priv == PrivProtocol.None ? SecurityLevel.AuthNoPriv : SecurityLevel.AuthPriv;

    internal void Validate()
    {
        if (Name.Length is 0 or > 32) throw new ArgumentException("USM user name must be 1..32 characters");
        if (Auth == AuthProtocol.None && Priv != PrivProtocol.None)
            throw new ArgumentException("privacy requires authentication");
        if (Auth != AuthProtocol.None && (AuthPassword?.Length ?? 0) < 8)
            throw new ArgumentException("auth password must have at least 8 characters");
        if (Priv != PrivProtocol.None && (PrivPassword?.Length ?? 0) < 8)
            throw new ArgumentException("privacy password must have at least 8 characters");
    }

    public static AuthProtocol ParseAuth(string s) => s.Replace("-", "").ToUpperInvariant() switch
    {
        "MD5" => AuthProtocol.Md5, "SHA" or "SHA1" => AuthProtocol.Sha1, "SHA224" => AuthProtocol.Sha224,
        "SHA256" => AuthProtocol.Sha256, "SHA384" => AuthProtocol.Sha384, "SHA512" => AuthProtocol.Sha512,
        "NONE" => AuthProtocol.None,
        _ => throw new ArgumentException($"unknown auth protocol '{s}'"),
    };

    public static PrivProtocol ParsePriv(string s) => s.ToUpperInvariant() switch
    {
        "DES" => PrivProtocol.Des, "AES" or "AES128" => PrivProtocol.Aes128, "NONE" => PrivProtocol.None,
        _ => throw new ArgumentException($"unknown privacy protocol '{s}'"),
    };
}

/// <summary>Keys localized to one engine (RFC 3414 §2.6).</summary>
public sealed record LocalizedKeys(AuthProtocol Auth, byte[] AuthKey, PrivProtocol Priv, byte[] PrivKey)
{
    public static readonly LocalizedKeys None = new(AuthProtocol.None, [], PrivProtocol.None, []);
}

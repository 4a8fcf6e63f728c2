using System.Text.RegularExpressions;

namespace DcAssets.Identity;

/// <summary>
/// A person as folded from their stream; also the "users" read model (never sent out as is: it holds the hash).
/// </summary>
public sealed partial record User
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string[] Roles { get; init; } = [];
    public required string PasswordHash { get; init; }
    public bool Disabled { get; init; }
    public Dictionary<string, UserToken> Tokens { get; init; } = [];

    public const string NameRule = "1-40 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,39}$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static string StreamId(string name) => "user-" + name;

    /// <summary>
    /// Password changes and disables so far. It only counts up, so a stamp never comes back: a password set back to
    /// an earlier hash, or a user enabled again, does not revive the sessions opened before.
    /// </summary>
    public int SecurityVersion { get; init; }

    /// <summary>
    /// Changes whenever the password changes or the user is disabled. Sessions carry the stamp they were opened
    /// with; one whose stamp no longer matches is closed (a new password signs the person out everywhere).
    /// </summary>
    public string SecurityStamp() =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{PasswordHash}|{SecurityVersion}")))[..16];

    public static User Create(UserCreated e) =>
        new() { Id = StreamId(e.Name), Name = e.Name, Roles = e.Roles, PasswordHash = e.PasswordHash };
    public User Apply(RoleGranted e) => this with { Roles = [.. Roles.Append(e.Role).Distinct().Order()] };
    public User Apply(RoleRevoked e) => this with { Roles = [.. Roles.Where(r => r != e.Role)] };
    public User Apply(PasswordChanged e) =>
        this with { PasswordHash = e.PasswordHash, SecurityVersion = SecurityVersion + 1 };
    public User Apply(UserDisabled e) => this with { Disabled = true, SecurityVersion = SecurityVersion + 1 };
    public User Apply(ApiTokenIssued e) =>
        this with { Tokens = new(Tokens) { [e.TokenId] = new UserToken(e.TokenId, e.Label, false) } };
    /// <summary>The person after one change of theirs (what an append just wrote, without reading it back).</summary>
    public static User After(User u, object e) => e switch
    {
        RoleGranted g => u.Apply(g),
        RoleRevoked r => u.Apply(r),
        PasswordChanged p => u.Apply(p),
        UserDisabled d => u.Apply(d),
        ApiTokenIssued i => u.Apply(i),
        ApiTokenRevoked r => u.Apply(r),
        _ => u,
    };

    // Total, as a fold run inline on every append must be: a revoke of a token the user never had changes nothing.
    public User Apply(ApiTokenRevoked e) => !Tokens.TryGetValue(e.TokenId, out var t) ? this
        : this with { Tokens = new(Tokens) { [e.TokenId] = t with { Revoked = true } } };
}

public sealed record UserToken(string Id, string Label, bool Revoked);

/// <summary>What the API shows of a person.</summary>
public sealed record UserView(string Name, string[] Roles, bool Disabled, IReadOnlyList<UserToken> Tokens)
{
    public static UserView Of(User u) => new(u.Name, u.Roles, u.Disabled, [.. u.Tokens.Values.OrderBy(t => t.Id)]);
}

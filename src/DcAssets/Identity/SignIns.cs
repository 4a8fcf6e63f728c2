using Marten;

namespace DcAssets.Identity;

public sealed record SignIn(string? Name, string? Password);
public sealed record SignOut(string Name);

/// <summary>Signing in: the decision and the log security officers read.</summary>
public static class SignIns
{
    /// <summary>Failed attempts for names nobody has are kept in one stream of their own.</summary>
    public const string UnknownUserStream = "signin-unknown-users";

    /// <summary>
    /// Success or failure, never a hint which part was wrong in the answer (the reason is only in the log).
    /// </summary>
    public static object Decide(User? user, string? name, string? password, Func<string, string, bool> verify)
    {
        if (user is null) return new LoginFailed(Truncate(name), "unknown user");
        if (user.Disabled) return new LoginFailed(user.Name, "user disabled");
        if (string.IsNullOrEmpty(password) || !verify(user.PasswordHash, password))
            return new LoginFailed(user.Name, "wrong password");
        return new LoginSucceeded(user.Name, "password");
    }

    /// <summary>The user on success, null otherwise; either way the attempt is on record.</summary>
    public static Task<User?> Handle(SignIn c, IDocumentSession s, CancellationToken ct) =>
        UserStream.SignInAsync(s, c.Name, c.Password, ct);

    public static Task Handle(SignOut c, IDocumentSession s, CancellationToken ct) =>
        UserStream.SignOutAsync(s, c.Name, ct);

    private static string Truncate(string? s) => (s ?? "").Length > 60 ? s![..60] : s ?? "";
}

/// <summary>One line per sign-in event: who, what happened, when, from where.</summary>
public sealed record SignInRecord(string Id, string Name, string Outcome, string? Detail, DateTimeOffset At,
    string? ClientAddress, string? Source);

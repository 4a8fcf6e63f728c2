namespace DcAssets.Identity;

public sealed record CreateUserCommand(string? Name, string? Role, string? Password);
public sealed record RoleCommand(string? Role);
public sealed record ChangePasswordCommand(string? Password);
public sealed record DisableUserCommand(string? Reason);

/// <summary>Decisions about people. Hashing is passed in so the decisions stay pure.</summary>
public static class ManageUsers
{
    public static UserCreated Create(User? existing, CreateUserCommand c, Func<string, string> hash)
    {
        var p = new Problems();
        var name = c.Name?.Trim().ToLowerInvariant();
        if (!User.IsValidName(name)) p.Add("name", "a user name is " + User.NameRule);
        if (!Roles.IsKnown(c.Role)) p.Add("role", $"'{c.Role}' is not a role; use one of {string.Join(", ", Roles.All)}");
        Credentials.CheckPassword(p, c.Password);
        p.ThrowIfAny();
        if (existing is not null) throw CommandRejected.Field("name", $"user '{name}' already exists", RejectionKind.Conflict);
        return new UserCreated(name!, [c.Role!], hash(c.Password!));
    }

    public static RoleGranted? Grant(User u, RoleCommand c)
    {
        CheckRole(c.Role);
        return u.Roles.Contains(c.Role) ? null : new RoleGranted(u.Name, c.Role!);
    }

    public static RoleRevoked? Revoke(User u, RoleCommand c)
    {
        CheckRole(c.Role);
        if (!u.Roles.Contains(c.Role)) return null;
        if (u.Roles.Length == 1) throw CommandRejected.Field("role", $"'{c.Role}' is {u.Name}'s only role; grant another first or disable the user", RejectionKind.Conflict);
        return new RoleRevoked(u.Name, c.Role!);
    }

    public static PasswordChanged ChangePassword(User u, ChangePasswordCommand c, Func<string, string> hash)
    {
        var p = new Problems();
        Credentials.CheckPassword(p, c.Password);
        p.ThrowIfAny();
        return new PasswordChanged(u.Name, hash(c.Password!));
    }

    public static UserDisabled? Disable(User u, DisableUserCommand c) =>
        u.Disabled ? null : new UserDisabled(u.Name, c.Reason?.Trim());

    private static void CheckRole(string? role)
    {
        if (!Roles.IsKnown(role)) throw CommandRejected.Field("role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.All)}");
    }
}

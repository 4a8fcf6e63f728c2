using Marten;

namespace DcAssets.Identity;

public sealed record CreateUserCommand(string? Name, string? Role, string? Password);
public sealed record RoleCommand(string? Role);
public sealed record ChangePasswordCommand(string? Password);
public sealed record DisableUserCommand(string? Reason);

// The messages the handlers below take: the body of a request and the user it names in its route.
public sealed record GrantRole(string Name, string? Role);
public sealed record RevokeRole(string Name, string? Role);
public sealed record SetPassword(string Name, string? Password);
public sealed record ChangeOwnPassword(string Name, string? CurrentPassword, string? Password);
public sealed record DisableUser(string Name, string? Reason);

/// <summary>Decisions about people. Hashing is passed in so the decisions stay pure.</summary>
public static class ManageUsers
{
    public static UserCreated Create(User? existing, CreateUserCommand c, Func<string, string> hash)
    {
        var p = new Problems();
        var name = c.Name?.Trim().ToLowerInvariant();
        if (!User.IsValidName(name)) p.Add("name", "a user name is " + User.NameRule);
        if (!Roles.IsKnown(c.Role))
            p.Add("role", $"'{c.Role}' is not a role; use one of {string.Join(", ", Roles.All)}");
        Credentials.CheckPassword(p, c.Password);
        p.ThrowIfAny();
        if (existing is not null)
            throw CommandRejected.Field("name", $"user '{name}' already exists", RejectionKind.Conflict);
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
        if (u.Roles.Length == 1)
            throw CommandRejected.Field("role",
            $"'{c.Role}' is {u.Name}'s only role; grant another first or disable the user", RejectionKind.Conflict);
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

    public static Task<User> Handle(CreateUserCommand c, IDocumentSession s, CancellationToken ct) =>
        UserStream.CreateAsync(s, c, ct);

    public static Task<User> Handle(GrantRole c, IDocumentSession s, CancellationToken ct) =>
        UserStream.ChangeAsync(s, c.Name, u => Grant(u, new RoleCommand(c.Role)), ct);

    public static Task<User> Handle(RevokeRole c, IDocumentSession s, CancellationToken ct) =>
        UserStream.ChangeAsync(s, c.Name, u => Revoke(u, new RoleCommand(c.Role)), ct);

    public static Task<User> Handle(SetPassword c, IDocumentSession s, CancellationToken ct) =>
        UserStream.ChangeAsync(s, c.Name,
            u => ChangePassword(u, new ChangePasswordCommand(c.Password), Credentials.HashPassword), ct);

    public static Task<User> Handle(ChangeOwnPassword c, IDocumentSession s, CancellationToken ct) =>
        UserStream.ChangeAsync(s, c.Name, u => Credentials.VerifyPassword(u.PasswordHash, c.CurrentPassword ?? "")
            ? ChangePassword(u, new ChangePasswordCommand(c.Password), Credentials.HashPassword)
            : throw CommandRejected.Field("currentPassword", "the current password is wrong"), ct);

    public static Task<User> Handle(DisableUser c, IDocumentSession s, CancellationToken ct) =>
        UserStream.ChangeAsync(s, c.Name, u => Disable(u, new DisableUserCommand(c.Reason)), ct);

    private static void CheckRole(string? role)
    {
        if (!Roles.IsKnown(role))
            throw CommandRejected.Field("role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.All)}");
    }
}

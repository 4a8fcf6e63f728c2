using Marten;

namespace DcAssets.Identity;

/// <summary>
/// Load → decide → append for people, in the session a handler is given (ManageUsers, ApiTokens, SignIns), and the
/// same run outside the bus for the CLI and tests.
/// </summary>
public static class UserStream
{
    /// <summary>The person as the inline snapshot has them now (null for a name nobody has).</summary>
    public static async Task<User?> LoadAsync(IQuerySession s, string? name, CancellationToken ct)
    {
        name = name?.Trim().ToLowerInvariant();
        return User.IsValidName(name) ? await s.LoadAsync<User>(User.StreamId(name!), ct) : null;
    }

    public static async Task<User> CreateAsync(IDocumentSession s, CreateUserCommand c, CancellationToken ct)
    {
        var created = ManageUsers.Create(await LoadAsync(s, c.Name, ct), c, Credentials.HashPassword);
        s.Events.StartStream<User>(User.StreamId(created.Name), created);
        await SaveAsync(s, created.Name, ct);
        return User.Create(created);
    }

    public static async Task<User> ChangeAsync(IDocumentSession s, string name, Func<User, object?> decide,
        CancellationToken ct)
    {
        var id = User.IsValidName(name.Trim().ToLowerInvariant())
            ? User.StreamId(name.Trim().ToLowerInvariant()) : null;
        // FetchForWriting remembers the version it read: a change committed meanwhile fails the save.
        var stream = id is null ? null : await s.Events.FetchForWriting<User>(id, ct);
        if (stream?.Aggregate is not { } user)
            throw CommandRejected.Field("name", $"no user '{name}'", RejectionKind.NotFound);
        if (decide(user) is not { } e) return user;
        stream.AppendOne(e);
        await SaveAsync(s, user.Name, ct);
        return User.After(user, e);
    }

    /// <summary>Checks a password and records the outcome; returns the user only on success.</summary>
    public static async Task<User?> SignInAsync(IDocumentSession s, string? name, string? password,
        CancellationToken ct)
    {
        var user = await LoadAsync(s, name, ct);
        var outcome = SignIns.Decide(user, name, password, Credentials.VerifyPassword);
        s.Events.Append(user?.Id ?? SignIns.UnknownUserStream, outcome);
        await s.SaveChangesAsync(ct);
        return outcome is LoginSucceeded ? user : null;
    }

    public static async Task SignOutAsync(IDocumentSession s, string name, CancellationToken ct)
    {
        s.Events.Append(User.StreamId(name), new LoggedOut(name));
        await s.SaveChangesAsync(ct);
    }

    public static async Task<User> CreateAsync(IDocumentStore store, Actor actor, CreateUserCommand c,
        CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        return await CreateAsync(s, c, ct);
    }

    public static async Task<User> ChangeAsync(IDocumentStore store, Actor actor, string name,
        Func<User, object?> decide, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        return await ChangeAsync(s, name, decide, ct);
    }

    public static async Task<User?> SignInAsync(IDocumentStore store, Actor actor, string? name, string? password,
        CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        return await SignInAsync(s, name, password, ct);
    }

    private static async Task SaveAsync(IDocumentSession s, string name, CancellationToken ct)
    {
        try { await s.SaveChangesAsync(ct); }
        catch (Exception e) when (e is JasperFx.ConcurrencyException
                                   or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            throw CommandRejected.Field("name", $"user '{name}' was changed by someone else meanwhile; try again",
                RejectionKind.Conflict);
        }
    }
}

using DcAssets.EventStore;

namespace DcAssets.Identity;

/// <summary>Load → decide → append for people, shared by the API and the CLI.</summary>
public static class UserStream
{
    public static async Task<(User? User, long Version)> LoadAsync(QuerySession s, string? name, CancellationToken ct)
    {
        name = name?.Trim().ToLowerInvariant();
        if (!User.IsValidName(name)) return (null, 0);
        var events = await s.Events.FetchStreamAsync(User.StreamId(name!), ct: ct);
        return (DcAssets.EventStore.Aggregation.Aggregator<User>.Fold(events), events.Count == 0 ? 0 : events[^1].Version);
    }

    public static async Task<User> CreateAsync(EventStore.EventStore store, Actor actor, CreateUserCommand c, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        var (existing, _) = await LoadAsync(s, c.Name, ct);
        var created = ManageUsers.Create(existing, c, Credentials.HashPassword);
        s.Events.StartStream(User.StreamId(created.Name), "user", created);
        await SaveAsync(s, created.Name, ct);
        return User.Create(created);
    }

    public static async Task<User> ChangeAsync(EventStore.EventStore store, Actor actor, string name, Func<User, object?> decide, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        var (user, version) = await LoadAsync(s, name, ct);
        if (user is null) throw CommandRejected.Field("name", $"no user '{name}'", RejectionKind.NotFound);
        if (decide(user) is not { } e) return user;
        s.Events.Append(user.Id, version, e);
        await SaveAsync(s, user.Name, ct);
        return DcAssets.EventStore.Aggregation.Aggregator<User>.Apply(user, e)!;
    }

    /// <summary>Checks a password and records the outcome; returns the user only on success.</summary>
    public static async Task<User?> SignInAsync(EventStore.EventStore store, Actor actor, string? name, string? password, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        var (user, _) = await LoadAsync(s, name, ct);
        var outcome = SignIns.Decide(user, name, password, Credentials.VerifyPassword);
        s.Events.Append(user?.Id ?? SignIns.UnknownUserStream, outcome);
        await s.SaveChangesAsync(ct);
        return outcome is LoginSucceeded ? user : null;
    }

    public static async Task SignOutAsync(EventStore.EventStore store, Actor actor, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        s.Events.Append(User.StreamId(actor.Name), new LoggedOut(actor.Name));
        await s.SaveChangesAsync(ct);
    }

    private static async Task SaveAsync(EventSession s, string name, CancellationToken ct)
    {
        try { await s.SaveChangesAsync(ct); }
        catch (ConcurrencyException)
        {
            throw CommandRejected.Field("name", $"user '{name}' was changed by someone else meanwhile; try again", RejectionKind.Conflict);
        }
    }
}

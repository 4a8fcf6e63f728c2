using DcAssets.EventStore;
using DcAssets.EventStore.Tests.Infrastructure;
using DcAssets.Identity;
using Marten;

namespace DcAssets.Tests.Identity;

/// <summary>
/// Our store and Marten, each in a database of its own (they never share one), given the same Identity history
/// once for the whole test class: people created, roles granted and revoked, passwords changed, a user disabled,
/// tokens issued and revoked, sign-ins that succeed and fail (known and unknown names), sign-outs.
/// </summary>
public sealed class IdentityOnBothStores : IAsyncLifetime
{
    private readonly TestDatabase _ourDb = new(), _martenDb = new();

    public EventStore.EventStore Ours { get; private set; } = null!;
    public DocumentStore Marten { get; private set; } = null!;
    public IdentityScript Script { get; } = new();

    public static readonly Actor Admin = new("u-admin", "admin", Roles.Admin, EventSources.Cli);
    public static readonly Actor AdminOnTheWeb = new("u-admin", "admin", Roles.Admin, EventSources.Ui)
        { ClientAddress = "192.0.2.1", CorrelationId = "c-web-1" };
    public static readonly Actor Alice = new("alice", "alice", Roles.Engineer, EventSources.Ui)
        { ClientAddress = "192.0.2.10" };
    public static readonly Actor Carol = new("carol", "carol", Roles.Manager, EventSources.Api)
        { ClientAddress = "2001:db8::7" };

    public async Task InitializeAsync()
    {
        await _ourDb.InitializeAsync();
        await _martenDb.InitializeAsync();
        Ours = await DcAssetsStore.OpenAsync(_ourDb.ConnectionString);
        Marten = DocumentStore.For(o => DcAssetsStore.ConfigureMarten(o, _martenDb.ConnectionString));
        await Marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        Write(Script);
        foreach (var save in Script.Saves)
        {
            await SaveToOursAsync(save);
            await SaveToMartenAsync(save);
        }
    }

    public async Task DisposeAsync()
    {
        Marten.Dispose();
        await Ours.DisposeAsync();
        await _martenDb.DisposeAsync();
        await _ourDb.DisposeAsync();
    }

    private static void Write(IdentityScript s)
    {
        s.Create(Admin, "alice", Roles.Engineer, "alice-password-1");
        s.Create(Admin, "bob", Roles.Security, "bob-password-1");
        s.Create(AdminOnTheWeb, "carol", Roles.Manager, "carol-password-1");
        s.Change(Admin, "alice", u => ManageUsers.Grant(u, new RoleCommand(Roles.Admin)));
        s.Change(AdminOnTheWeb, "bob", u => ManageUsers.Grant(u, new RoleCommand(Roles.Engineer)));
        s.Change(AdminOnTheWeb, "bob", u => ManageUsers.Revoke(u, new RoleCommand(Roles.Security)));
        s.Change(Admin, "alice", u =>
            ManageUsers.ChangePassword(u, new ChangePasswordCommand("alice-password-2"), Credentials.HashPassword));
        s.IssueToken(Carol, "carol", "nightly export");
        var revoked = s.IssueToken(Carol, "carol", "");
        s.IssueToken(Alice, "alice", "rack audit script");
        s.Change(Carol, "carol", u => ApiTokens.Revoke(u, revoked));
        s.SignIn("alice", "alice-password-1", "192.0.2.10");
        s.SignIn("alice", "alice-password-2", "192.0.2.10");
        s.SignOut(Alice);
        s.SignIn("carol", "carol-password-1", "2001:db8::7");
        s.SignIn("mallory", "guess", "203.0.113.66");
        s.SignIn("nobody-with-a-name-longer-than-sixty-characters-is-cut-short-in-the-log", "x", "203.0.113.67");
        s.Change(AdminOnTheWeb, "bob", u => ManageUsers.Disable(u, new DisableUserCommand(" left the company ")));
        s.SignIn("bob", "bob-password-1", "198.51.100.5");
    }

    private async Task SaveToOursAsync(Save save)
    {
        await using var s = Ours.OpenSession(save.Actor);
        if (save.Starts) s.Events.StartStream(save.Stream, "user", save.Event);
        else s.Events.Append(save.Stream, save.Event);
        await s.SaveChangesAsync();
    }

    private async Task SaveToMartenAsync(Save save)
    {
        await using var s = Marten.LightweightSession();
        EventHeaders.Stamp(s, save.Actor);
        if (save.Starts) s.Events.StartStream<User>(save.Stream, save.Event);
        else s.Events.Append(save.Stream, save.Event);
        await s.SaveChangesAsync();
    }
}

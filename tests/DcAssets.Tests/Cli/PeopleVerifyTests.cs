using DcAssets.EventStore;
using DcAssets.EventStore.Tests.Infrastructure;
using DcAssets.Identity;
using Marten;

namespace DcAssets.Tests.Cli;

/// <summary>`dcassets verify` checks the history of people kept on Marten beside our store's.</summary>
public sealed class PeopleVerifyTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        using var store = DocumentStore.For(o => DcAssetsStore.ConfigureMarten(o, _db.ConnectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var admin = new Actor("u-admin", "admin", Roles.Admin, EventSources.Cli);
        await UserStream.CreateAsync(store, admin, new CreateUserCommand("zhang.min", Roles.Engineer, "long enough password"),
            default);
        await UserStream.ChangeAsync(store, admin, "zhang.min", u => ManageUsers.Grant(u, new RoleCommand(Roles.Security)),
            default);
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public void An_untouched_history_of_people_verifies_intact()
    {
        var (exit, output, err) = CliProcess.Run(_db.ConnectionString, "verify");
        exit.Should().Be(0, output + err);
        output.Should().Contain("people and sign-ins (Marten): checked 2 events").And.Contain("intact");
    }

    [Fact]
    public async Task A_role_written_into_a_stored_event_is_named_as_tampering_with_people()
    {
        await _db.ExecAsync(
            "update dcassets.mt_events set data = jsonb_set(data, '{roles}', '[\"admin\"]') where type = 'user_created'");
        var (exit, output, err) = CliProcess.Run(_db.ConnectionString, "verify");
        exit.Should().Be(1, output + err);
        output.Should().Contain("TAMPERED: people and sign-ins, first mismatch at sequence");
    }
}

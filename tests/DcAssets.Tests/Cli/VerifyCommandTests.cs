using System.Text;
using DcAssets.Identity;
using DcAssets.Integrity;
using DcAssets.Testing;

namespace DcAssets.Tests.Cli;

/// <summary>
/// `dcassets verify` exits 0 on an intact history, 1 naming the first bad position, 2 when it could not check. The
/// kinds of tampering it catches are pinned one by one in DcAssets.Integrity.Tests; here, what an operator sees.
/// </summary>
public sealed class VerifyCommandTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        using var store = await ProductStore.OpenAsync(_db.ConnectionString);
        var admin = new Actor("u-admin", "admin", Roles.Admin, EventSources.Cli);
        await UserStream.CreateAsync(store, admin,
            new CreateUserCommand("zhang.min", Roles.Engineer, "long enough password"), default);
        await UserStream.ChangeAsync(store, admin, "zhang.min",
            u => ManageUsers.Grant(u, new RoleCommand(Roles.Security)), default);
        // Sealed with the key the CLI is given, as a web node's sealer would.
        await new Sealer(store, new SealKey(Encoding.UTF8.GetBytes(CliProcess.SealKey))).SealAsync(default);
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public void An_untouched_sealed_history_verifies_intact()
    {
        var (exit, output, err) = CliProcess.Run(_db.ConnectionString, "verify");
        exit.Should().Be(0, output + err);
        output.Should().MatchRegex(@"checked 2 events and \d+ seals from position 0").And.Contain("intact");
    }

    [Fact]
    public async Task A_role_written_into_a_stored_event_exits_1_naming_its_position()
    {
        var seq = await _db.ScalarAsync<long>("select seq_id from dcassets.mt_events where type = 'user_created'");
        await _db.ExecAsync(
            "update dcassets.mt_events set data = jsonb_set(data, '{roles}', '[\"admin\"]') where type = 'user_created'");
        var (exit, output, err) = CliProcess.Run(_db.ConnectionString, "verify");
        exit.Should().Be(1, output + err);
        output.Should().Contain($"TAMPERED: first mismatch at position {seq}: ");
    }

    [Fact]
    public void A_position_that_is_not_a_number_exits_2_as_not_checked()
    {
        var (exit, _, err) = CliProcess.Run(_db.ConnectionString, "verify", "--from", "x");
        exit.Should().Be(2);
        err.Should().StartWith("error: verify could not check the history: --from must be a position");
    }
}

using DcAssets.Testing;
using DcAssets.Identity;
using Marten;

namespace DcAssets.Tests.Identity;

/// <summary>The sign-in log on Marten: one line per sign-in event, in the order the events were stored.</summary>
public sealed class SignInLogTests(SignInLogTests.History history) : IClassFixture<SignInLogTests.History>
{
    private DocumentStore Store => history.Store;

    /// <summary>One history for the class: a person, a wrong password, an unknown name, a right password.</summary>
    public sealed class History : IAsyncLifetime
    {
        private readonly TestDatabase _db = new();
        public DocumentStore Store { get; private set; } = null!;
    private static readonly Actor Admin = new("u-admin", "admin", Roles.Admin, EventSources.Cli);
    private static readonly Actor FromTheDoor = new("anonymous", "anonymous", null, EventSources.Ui)
    {
        ClientAddress = "10.1.2.3",
    };

        public async Task InitializeAsync()
        {
            await _db.InitializeAsync();
            Store = await ProductStore.OpenAsync(_db.ConnectionString);
            await UserStream.CreateAsync(Store, Admin, new CreateUserCommand("li.wei", Roles.Engineer, "long enough password"),
                default);
            await UserStream.SignInAsync(Store, FromTheDoor, "li.wei", "wrong password!", default);
            await UserStream.SignInAsync(Store, FromTheDoor, "nobody", "whatever it is", default);
            await UserStream.SignInAsync(Store, FromTheDoor, "li.wei", "long enough password", default);
        }

        public async Task DisposeAsync()
        {
            Store.Dispose();
            await _db.DisposeAsync();
        }
    }

    private async Task<IReadOnlyList<SignInRecord>> LogAsync()
    {
        await using var s = Store.QuerySession();
        return await s.Query<SignInRecord>().OrderBy(r => r.Id).ToListAsync();
    }

    [Fact]
    public async Task Each_attempt_is_a_line_with_its_outcome_and_reason_in_the_order_it_happened()
    {
        (await LogAsync()).Select(r => (r.Name, r.Outcome, r.Detail)).Should().Equal(
            ("li.wei", "login_failed", "wrong password"), ("nobody", "login_failed", "unknown user"),
            ("li.wei", "login_succeeded", "password"));
    }

    [Fact]
    public async Task A_line_is_keyed_by_its_event_s_sequence_number_in_19_digits()
    {
        await using var s = Store.QuerySession();
        var events = (await s.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync())
            .Where(e => e.Data is LoginSucceeded or LoginFailed);
        (await LogAsync()).Select(r => r.Id).Should().Equal(events.Select(e => e.Sequence.ToString("D19")));
    }

    [Fact]
    public async Task A_line_names_the_address_and_the_door_the_attempt_came_from()
    {
        (await LogAsync()).Should().AllSatisfy(r => (r.ClientAddress, r.Source).Should().Be(("10.1.2.3", "ui")));
    }
}

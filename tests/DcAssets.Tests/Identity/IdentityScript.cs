using DcAssets.EventStore;
using DcAssets.EventStore.Aggregation;
using DcAssets.Identity;

namespace DcAssets.Tests.Identity;

/// <summary>One save as a use case makes it: who saved, to which stream, whether it starts it, the event.</summary>
public sealed record Save(Actor Actor, string Stream, bool Starts, object Event);

/// <summary>
/// The Identity use cases as UserStream runs them (load, decide, append), written down as saves instead of being
/// sent to a store, so the very same events, password hashes and token ids can go to two stores.
/// </summary>
public sealed class IdentityScript
{
    private readonly Dictionary<string, User> _users = [];
    private readonly List<Save> _saves = [];

    public IReadOnlyList<Save> Saves => _saves;

    public void Create(Actor by, string name, string role, string password)
    {
        var created = ManageUsers.Create(null, new CreateUserCommand(name, role, password), Credentials.HashPassword);
        Record(new Save(by, User.StreamId(created.Name), true, created));
    }

    public void Change(Actor by, string name, Func<User, object?> decide)
    {
        if (decide(_users[name]) is { } e) Record(new Save(by, User.StreamId(name), false, e));
    }

    public string IssueToken(Actor by, string name, string label)
    {
        var token = Credentials.NewToken();
        Change(by, name, u => ApiTokens.Issue(u, new IssueTokenCommand(label), token));
        return token.TokenId;
    }

    /// <summary>As the sign-in page does it: the actor is whoever the name claims to be, from one address.</summary>
    public void SignIn(string name, string password, string clientAddress)
    {
        var user = _users.GetValueOrDefault(name);
        var outcome = SignIns.Decide(user, name, password, Credentials.VerifyPassword);
        var actor = new Actor(name, name, null, EventSources.Ui) { ClientAddress = clientAddress };
        Record(new Save(actor, user?.Id ?? SignIns.UnknownUserStream, false, outcome));
    }

    public void SignOut(Actor who) => Record(new Save(who, User.StreamId(who.Name), false, new LoggedOut(who.Name)));

    private void Record(Save save)
    {
        _saves.Add(save);
        // Fold as our store's aggregator does, so the next decision sees what a reload would.
        if (!save.Stream.StartsWith(User.StreamId(""), StringComparison.Ordinal)) return;
        var name = save.Stream[User.StreamId("").Length..];
        if (Aggregator<User>.Apply(_users.GetValueOrDefault(name), save.Event) is { } folded) _users[name] = folded;
    }
}

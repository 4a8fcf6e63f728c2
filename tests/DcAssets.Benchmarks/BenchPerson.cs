using DcAssets.Identity;

namespace DcAssets.Benchmarks;

/// <summary>A person with an API token, for benchmarks that call the API as a client would.</summary>
public static class BenchPerson
{
    /// <summary>Creates <paramref name="name"/> with <paramref name="role"/> and returns a token of theirs.</summary>
    public static async Task<string> TokenAsync(string connectionString, string name, string role, CancellationToken ct)
    {
        var actor = new Actor("bench", "bench", Roles.Admin, EventSources.Import);
        await using var marten = await ProductStore.CreateAsync(connectionString, configure: null, ct);
        await UserStream.CreateAsync(marten, actor, new CreateUserCommand(name, role, "bench password 1"), ct);
        var token = Credentials.NewToken();
        await UserStream.ChangeAsync(marten, actor, name,
            u => ApiTokens.Issue(u, new IssueTokenCommand("bench"), token), ct);
        return token.Token;
    }
}

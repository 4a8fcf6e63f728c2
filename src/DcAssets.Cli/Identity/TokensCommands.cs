using System.CommandLine;
using DcAssets.Identity;

namespace DcAssets.Cli.Identity;

/// <summary>
/// <c>dcassets tokens issue NAME</c>: a bearer token for scripts, printed once (only its hash is kept).
/// </summary>
public sealed class TokensCommands : ICliModule
{
    public Command Build()
    {
        var name = new Argument<string>("name") { Description = "the user the token acts as (with that user's roles)" };
        var label =
            new Option<string>("--label") { Description = "what the token is for, shown in the user's token list" };
        var issue = new Command("issue", "issue a new API token and print it; it cannot be shown again") { name,
            label };
        issue.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            using var store = await CliStore.OpenMartenAsync();
            await using var session = store.OpenSession(CliActor.Current);
            var token = await ApiTokens.Handle(new IssueToken(pr.GetValue(name)!, pr.GetValue(label) ?? "cli"), session,
                ct);
            Console.WriteLine(token.Token);
            Console.Error.WriteLine($"token {token.TokenId} issued; use it as 'Authorization: Bearer <token>'. It is " +
                $"not stored and cannot be shown again.");
            return 0;
        });
        var tokens = new Command("tokens", "API tokens for scripts");
        tokens.Subcommands.Add(issue);
        return tokens;
    }
}

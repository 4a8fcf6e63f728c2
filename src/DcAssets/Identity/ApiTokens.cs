using Marten;

namespace DcAssets.Identity;

public sealed record IssueTokenCommand(string? Label);
public sealed record IssueToken(string Name, string? Label);
public sealed record RevokeToken(string Name, string TokenId);

/// <summary>A token as issued: the secret is in this answer only (stored hashed).</summary>
public sealed record IssuedToken(string Name, string TokenId, string Token, string Label);

/// <summary>
/// Tokens for scripts: issued to a user (acting with that user's roles), revocable, secret shown once.
/// </summary>
public static class ApiTokens
{
    public static ApiTokenIssued Issue(User u, IssueTokenCommand c,
        (string TokenId, string Token, string SecretHash) token)
    {
        if (u.Disabled) throw CommandRejected.Field("name", $"{u.Name} is disabled", RejectionKind.Conflict);
        var label = c.Label?.Trim();
        if (label?.Length > 100) throw CommandRejected.Field("label", "at most 100 characters");
        return new ApiTokenIssued(u.Name, token.TokenId, token.SecretHash,
            string.IsNullOrEmpty(label) ? "token" : label);
    }

    public static async Task<IssuedToken> Handle(IssueToken c, IDocumentSession s, CancellationToken ct)
    {
        var token = Credentials.NewToken();
        ApiTokenIssued? issued = null;
        await UserStream.ChangeAsync(s, c.Name, u => issued = Issue(u, new IssueTokenCommand(c.Label), token), ct);
        return new IssuedToken(issued!.Name, token.TokenId, token.Token, issued.Label);
    }

    public static Task<User> Handle(RevokeToken c, IDocumentSession s, CancellationToken ct) =>
        UserStream.ChangeAsync(s, c.Name, u => Revoke(u, c.TokenId), ct);

    public static ApiTokenRevoked? Revoke(User u, string tokenId)
    {
        if (!u.Tokens.TryGetValue(tokenId, out var t))
            throw CommandRejected.Field("tokenId", $"{u.Name} has no token '{tokenId}'", RejectionKind.NotFound);
        return t.Revoked ? null : new ApiTokenRevoked(u.Name, tokenId);
    }
}

/// <summary>
/// A token as the bearer check finds it (read model keyed by token id, <see cref="ApiTokenRecordProjection"/>).
/// </summary>
public sealed record ApiTokenRecord(string Id, string User, string SecretHash, string Label, bool Revoked);

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace DcAssets.Identity;

/// <summary>
/// Passwords through ASP.NET Core's hasher (PBKDF2, salted, versioned); API tokens as random secrets kept as SHA-256.
/// </summary>
public static class Credentials
{
    private static readonly PasswordHasher<string> Hasher = new();
    public const int MinPasswordLength = 10;

    public static string HashPassword(string password) => Hasher.HashPassword("", password);

    public static bool VerifyPassword(string hash, string password) =>
        Hasher.VerifyHashedPassword("", hash, password) != PasswordVerificationResult.Failed;

    public static void CheckPassword(Problems p, string? password, string field = "password")
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
            p.Add(field, $"at least {MinPasswordLength} characters");
        else if (password.Length > 200) p.Add(field, "at most 200 characters");
    }

    /// <summary>
    /// A new token: "dca_{id}_{secret}". Only the secret's hash is kept; the whole token is shown once.
    /// </summary>
    public static (string TokenId, string Token, string SecretHash) NewToken()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"dca_{id}_{secret}", HashSecret(secret));
    }

    public static bool TryParseToken(string? token, out string tokenId, out string secret)
    {
        tokenId = secret = "";
        var parts = token?.Split('_', 3);
        if (parts is not ["dca", { Length: 12 } id, { Length: > 20 } s]) return false;
        (tokenId, secret) = (id, s);
        return true;
    }

    public static string HashSecret(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool SecretMatches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashSecret(secret)),
            Encoding.ASCII.GetBytes(hash));

    public static string NewPassword() => Base64Url(RandomNumberGenerator.GetBytes(12));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '.');
}

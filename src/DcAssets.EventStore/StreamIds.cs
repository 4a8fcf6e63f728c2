namespace DcAssets.EventStore;

/// <summary>Stream ids end up in URLs, logs and file names, so they are kept to a safe alphabet.</summary>
public static class StreamIds
{
    public const int MaxLength = 200;
    public const string Rule = "1-200 characters of letters, digits and - _ . : @, starting with a letter or digit";

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@');

    public static void Validate(string? id)
    {
        if (!IsValid(id)) throw new InvalidStreamIdException(id ?? "(null)", Rule);
    }
}

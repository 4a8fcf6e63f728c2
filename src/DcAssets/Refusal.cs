using System.Globalization;

namespace DcAssets;

/// <summary>
/// One reason a command was refused, as a stable code with its arguments (so a page can say it in the reader's
/// language, from the "Refusal.{code}" resource) and as the English text the API and the command line show.
/// Refusals made from plain text have no code and are shown as they are.
/// </summary>
public sealed record Refusal(string? Code, IReadOnlyList<string> Args, string Text)
{
    /// <summary>
    /// A coded refusal: <paramref name="english"/> is a format string over <paramref name="args"/> ({0}, {1}, …).
    /// </summary>
    public static Refusal Of(string code, string english, params object?[] args)
    {
        var texts = args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? "").ToArray();
        return new Refusal(code, texts, string.Format(CultureInfo.InvariantCulture, english, texts));
    }

    public static Refusal Plain(string text) => new(null, [], text);

    public override string ToString() => Text;
}

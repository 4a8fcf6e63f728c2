namespace DcAssets;

/// <summary>
/// Why a command was refused: invalid input, something it names does not exist, or it clashes with the current state.
/// </summary>
public enum RejectionKind { Invalid, NotFound, Conflict }

/// <summary>
/// A decision's refusal (an ArgumentException, so the CLI prints it as one line). It names every field at fault, so the
/// API can answer with problem
/// details a client can show beside each input; nothing is appended when one is thrown.
/// </summary>
public sealed class CommandRejected(IReadOnlyDictionary<string, Refusal[]> refusals,
    RejectionKind kind = RejectionKind.Invalid)
    : ArgumentException(string.Join("; ",
        refusals.Select(e => $"{e.Key}: {string.Join(", ", e.Value.Select(r => r.Text))}")))
{
    public CommandRejected(IReadOnlyDictionary<string, string[]> errors, RejectionKind kind = RejectionKind.Invalid)
        : this(errors.ToDictionary(e => e.Key, e => e.Value.Select(Refusal.Plain).ToArray()), kind) { }

    /// <summary>Each field's refusals as English text (what the API and the CLI show).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = refusals.ToDictionary(e => e.Key, e =>
        e.Value.Select(r => r.Text).ToArray());

    /// <summary>Each field's refusals with their codes, for pages that say them in the reader's language.</summary>
    public IReadOnlyDictionary<string, Refusal[]> Refusals { get; } = refusals;

    public RejectionKind Kind { get; } = kind;

    public static CommandRejected Field(string field, string message, RejectionKind kind = RejectionKind.Invalid) =>
        Field(field, Refusal.Plain(message), kind);

    public static CommandRejected Field(string field, Refusal refusal, RejectionKind kind = RejectionKind.Invalid) =>
        new(new Dictionary<string, Refusal[]> { [field] = [refusal] }, kind);
}

/// <summary>Collects field errors while a command is checked, then throws them all at once.</summary>
public sealed class Problems
{
    private readonly Dictionary<string, List<Refusal>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public Problems Add(string field, string message) => Add(field, Refusal.Plain(message));

    public Problems Add(string field, Refusal refusal)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(refusal);
        return this;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.Select(r => r.Text).ToArray());

    public void ThrowIfAny(RejectionKind kind = RejectionKind.Invalid)
    {
        if (Any) throw new CommandRejected(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), kind);
    }
}

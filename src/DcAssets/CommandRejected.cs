namespace DcAssets;

/// <summary>Why a command was refused: invalid input, something it names does not exist, or it clashes with the current state.</summary>
public enum RejectionKind { Invalid, NotFound, Conflict }

/// <summary>
/// A decision's refusal (an ArgumentException, so the CLI prints it as one line). It names every field at fault, so the API can answer with problem
/// details a client can show beside each input; nothing is appended when one is thrown.
/// </summary>
public sealed class CommandRejected(IReadOnlyDictionary<string, string[]> errors, RejectionKind kind = RejectionKind.Invalid)
    : ArgumentException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
    public RejectionKind Kind { get; } = kind;

    public static CommandRejected Field(string field, string message, RejectionKind kind = RejectionKind.Invalid) =>
        new(new Dictionary<string, string[]> { [field] = [message] }, kind);
}

/// <summary>Collects field errors while a command is checked, then throws them all at once.</summary>
public sealed class Problems
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public Problems Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void ThrowIfAny(RejectionKind kind = RejectionKind.Invalid)
    {
        if (Any) throw new CommandRejected(ToDictionary(), kind);
    }
}

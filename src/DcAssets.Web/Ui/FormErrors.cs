using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace DcAssets.Web.Ui;

/// <summary>
/// What was wrong with a submitted form, by field: the refusals of the command (the same ones the API answers with
/// problem details) and what the form could not even read. Every page's form shows them through one component,
/// Shared/_Field.cshtml, beside the field, keeping what was typed.
/// </summary>
public sealed class FormErrors(IReadOnlyDictionary<string, Refusal[]> refusals)
{
    public static readonly FormErrors None = new(new Dictionary<string, Refusal[]>());

    public IReadOnlyDictionary<string, Refusal[]> Refusals => refusals;

    public bool Any => refusals.Count > 0;

    public static FormErrors From(CommandRejected r) => new(r.Refusals);

    /// <summary>
    /// Binding failures (a date that is not a date) under the field's key: the model state's name with its prefix
    /// ("Input.PurchaseDate") taken off and the first letter lowered ("purchaseDate"), as the API names fields.
    /// </summary>
    public static FormErrors From(ModelStateDictionary state, string prefix = "Input.")
    {
        var errors = new Dictionary<string, Refusal[]>(StringComparer.Ordinal);
        foreach (var (name, entry) in state)
        {
            if (entry.Errors.Count == 0) continue;
            var key = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
            key = key.Length == 0 ? key : char.ToLowerInvariant(key[0]) + key[1..];
            errors[key] = [Refusal.Of("unreadable", "'{0}' could not be read", entry.AttemptedValue ?? "")];
        }
        return new(errors);
    }

    public FormErrors And(FormErrors other) =>
        new(refusals.Concat(other.Refusals).GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray()));

    /// <summary>The refusals of one field (by the API's name for it, e.g. "managementAddress").</summary>
    public Refusal[] For(string key) => refusals.TryGetValue(key, out var r) ? r : [];

    /// <summary>A field of the form: its key in the refusals, its label, its input's name, value and type.</summary>
    public FieldView Field(string key, string label, string name, string? value, string type = "text",
        bool required = false, IReadOnlyList<(string Value, string Text)>? options = null) =>
        new(key, label, name, value, type, required, options, For(key));
}

/// <summary>
/// Which of a page's several forms was refused and why, so the errors show beside that form's fields only (and the
/// page knows which form to fill with what was typed).
/// </summary>
public sealed record RefusedForm(string? Form, FormErrors Errors)
{
    public static readonly RefusedForm None = new(null, FormErrors.None);

    public FormErrors Of(string form) => Form == form ? Errors : FormErrors.None;
}

/// <summary>One field as Shared/_Field.cshtml draws it.</summary>
public sealed record FieldView(string Key, string Label, string Name, string? Value, string Type, bool Required,
    IReadOnlyList<(string Value, string Text)>? Options, Refusal[] Refusals)
{
    /// <summary>The element's id: the errors and the summary point to it.</summary>
    public string Id => "f-" + Key.Replace('.', '-');
}

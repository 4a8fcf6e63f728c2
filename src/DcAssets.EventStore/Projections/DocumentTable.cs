namespace DcAssets.EventStore.Projections;

/// <summary>An index a projection needs for its queries: a SQL expression over <c>data</c> (or <c>id</c>).</summary>
public sealed record DocumentIndex(string Name, string Expression, bool Unique = false, string Method = "btree");

/// <summary>The table behind one read model: id, data jsonb, version (last position applied), updated_at.</summary>
public sealed class DocumentTable(string schema, string name, IReadOnlyList<DocumentIndex> indexes, bool keepsJsonText = false)
{
    public string Schema { get; } = schema;
    public string Name { get; } = name;
    public string QualifiedName => $"{Schema}.doc_{Name}";
    public IReadOnlyList<DocumentIndex> Indexes { get; } = indexes;

    /// <summary>
    /// A read model that is mostly read keeps its documents' text beside the jsonb (a generated column,
    /// written once per change): rendering jsonb as text was most of the cost of answering a page.
    /// </summary>
    public bool KeepsJsonText { get; } = keepsJsonText;

    /// <summary>The SQL that yields a document's JSON text.</summary>
    public string JsonText => KeepsJsonText ? "json_text" : "data::text";

    public string CreateSql(string? tableName = null)
    {
        var table = tableName ?? QualifiedName;
        var bare = table[(table.IndexOf('.') + 1)..];
        var sql = $"create table if not exists {table} (id text primary key, data jsonb not null, version bigint not null, updated_at timestamptz not null default now());\n";
        // Checked first: "add column if not exists" would still take an exclusive lock at every start.
        if (KeepsJsonText)
            sql += $"""
                do $$ begin
                  if not exists (select 1 from information_schema.columns
                                  where table_schema = '{table[..table.IndexOf('.')]}' and table_name = '{bare}' and column_name = 'json_text') then
                    alter table {table} add column json_text text generated always as (data::text) stored;
                  end if;
                end $$;

                """;
        foreach (var ix in Indexes)
            sql += $"create {(ix.Unique ? "unique " : "")}index if not exists {bare}_{ix.Name} on {table} using {ix.Method} (({ix.Expression}));\n";
        return sql;
    }

    internal static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 40 || !char.IsAsciiLetterLower(name[0])
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            throw new ArgumentException($"projection name '{name}' must be 1-40 characters of a-z, 0-9 and '_', starting with a letter");
    }
}

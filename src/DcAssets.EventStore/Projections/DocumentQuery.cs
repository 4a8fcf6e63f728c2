using System.Text.Json;
using Npgsql;

namespace DcAssets.EventStore.Projections;

/// <summary>
/// A small typed query over one read model. Conditions are SQL over <c>data</c> with named
/// parameters, so they can use the indexes the projection declared.
/// </summary>
public sealed class DocumentQuery<T> where T : class
{
    private readonly NpgsqlDataSource _db;
    private readonly string _table, _jsonText;
    private readonly JsonSerializerOptions _json;
    private readonly List<string> _where = [];
    private readonly List<NpgsqlParameter> _params = [];
    private string _orderBy = "id";
    private int? _limit;
    private int _offset;

    internal DocumentQuery(NpgsqlDataSource db, DocumentTable table, JsonSerializerOptions json)
    {
        _db = db;
        _table = table.QualifiedName;
        _jsonText = table.JsonText;
        _json = json;
    }

    public DocumentQuery<T> Where(string sql, params (string Name, object? Value)[] parameters)
    {
        _where.Add($"({sql})");
        foreach (var (name, value) in parameters) _params.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        return this;
    }

    public DocumentQuery<T> OrderBy(string sql) { _orderBy = sql + ", id"; return this; }
    public DocumentQuery<T> Skip(int n) { _offset = Math.Max(0, n); return this; }
    public DocumentQuery<T> Take(int n) { _limit = Math.Max(0, n); return this; }

    public async Task<IReadOnlyList<T>> ToListAsync(CancellationToken ct = default)
    {
        var sql = $"select {_jsonText} from {_table}{WhereSql()} order by {_orderBy}" + (_limit is { } l ? $" limit {l}" : "") + (_offset > 0 ? $" offset {_offset}" : "");
        await using var cmd = Command(sql);
        var list = new List<T>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(JsonSerializer.Deserialize<T>(r.GetString(0), _json)!);
        return list;
    }

    /// <summary>One page and the number of all matching documents.</summary>
    public async Task<(IReadOnlyList<T> Items, long Total)> ToPageAsync(CancellationToken ct = default) =>
        await PageAsync(text => JsonSerializer.Deserialize<T>(text, _json)!, ct);

    /// <summary>
    /// One page as the stored JSON texts, for answers that pass documents through unchanged: nothing is
    /// parsed and serialized again on the way out. (jsonb keeps its own key order.)
    /// </summary>
    public async Task<(IReadOnlyList<string> Items, long Total)> ToJsonPageAsync(CancellationToken ct = default) =>
        await PageAsync(text => text, ct);

    // The page and the count travel in one batch. Counting in the page query (count(*) over ()) would
    // make Postgres render every match's document, not just the page's.
    private async Task<(IReadOnlyList<TItem> Items, long Total)> PageAsync<TItem>(Func<string, TItem> map, CancellationToken ct)
    {
        var where = WhereSql();
        await using var batch = _db.CreateBatch();
        batch.BatchCommands.Add(BatchCommand(
            $"select {_jsonText} from {_table}{where} order by {_orderBy}" + (_limit is { } l ? $" limit {l}" : "") + (_offset > 0 ? $" offset {_offset}" : "")));
        batch.BatchCommands.Add(BatchCommand($"select count(*) from {_table}{where}"));
        var list = new List<TItem>();
        await using var r = await batch.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(map(r.GetString(0)));
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        return (list, r.GetInt64(0));
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var cmd = Command($"select count(*) from {_table}{WhereSql()}");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private string WhereSql() => _where.Count == 0 ? "" : " where " + string.Join(" and ", _where);

    private NpgsqlBatchCommand BatchCommand(string sql)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var p in _params) cmd.Parameters.Add(p.Clone());
        return cmd;
    }

    private NpgsqlCommand Command(string sql)
    {
        var cmd = _db.CreateCommand(sql);
        foreach (var p in _params) cmd.Parameters.Add(p.Clone());
        return cmd;
    }
}

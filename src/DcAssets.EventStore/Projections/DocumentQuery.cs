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
    private readonly string _table;
    private readonly JsonSerializerOptions _json;
    private readonly List<string> _where = [];
    private readonly List<NpgsqlParameter> _params = [];
    private string _orderBy = "id";
    private int? _limit;
    private int _offset;

    internal DocumentQuery(NpgsqlDataSource db, string table, JsonSerializerOptions json)
    {
        _db = db;
        _table = table;
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
        var sql = $"select data from {_table}{WhereSql()} order by {_orderBy}" + (_limit is { } l ? $" limit {l}" : "") + (_offset > 0 ? $" offset {_offset}" : "");
        await using var cmd = Command(sql);
        var list = new List<T>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(JsonSerializer.Deserialize<T>(r.GetString(0), _json)!);
        return list;
    }

    /// <summary>
    /// One page and the number of all matching documents in one statement (<c>count(*) over ()</c>), so a
    /// paged list reads the matching rows once instead of once to count and once to page.
    /// </summary>
    public async Task<(IReadOnlyList<T> Items, long Total)> ToPageAsync(CancellationToken ct = default)
    {
        var sql = $"select data, count(*) over () from {_table}{WhereSql()} order by {_orderBy}" + (_limit is { } l ? $" limit {l}" : "") + (_offset > 0 ? $" offset {_offset}" : "");
        var list = new List<T>();
        long total = 0;
        await using (var cmd = Command(sql))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                list.Add(JsonSerializer.Deserialize<T>(r.GetString(0), _json)!);
                total = r.GetInt64(1);
            }
        // A page past the end has no row to carry the count.
        if (list.Count == 0 && _offset > 0) total = await CountAsync(ct);
        return (list, total);
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var cmd = Command($"select count(*) from {_table}{WhereSql()}");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private string WhereSql() => _where.Count == 0 ? "" : " where " + string.Join(" and ", _where);

    private NpgsqlCommand Command(string sql)
    {
        var cmd = _db.CreateCommand(sql);
        foreach (var p in _params) cmd.Parameters.Add(p.Clone());
        return cmd;
    }
}

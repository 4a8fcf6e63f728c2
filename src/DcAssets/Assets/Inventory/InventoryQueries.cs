using System.Globalization;
using System.Text.Json;
using Marten;

namespace DcAssets.Assets.Inventory;

/// <summary>
/// What the inventory list is asked for. Text is matched against tag, make, model, serial, owner and address.
/// </summary>
public sealed record InventoryFilter
{
    public string? Category { get; init; }
    public string? Room { get; init; }
    public string? Rack { get; init; }
    public string? Status { get; init; }
    public int? WarrantyWithinDays { get; init; }
    public string? Q { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
    public DateTimeOffset? AsOf { get; init; }

    internal int PageNumber => Page ?? 1;
    internal int Size => PageSize ?? 50;

    public void Check()
    {
        var p = new Problems();
        if (Category is not null && !AssetVocabulary.TryParse<AssetCategory>(Category, out _))
            p.Add("category", AssetRefusals.NotACategory(Category, withChoices: false));
        if (Status is not null && !AssetVocabulary.TryParse<AssetStatus>(Status, out _))
            p.Add("status", AssetRefusals.NotAStatus(Status, withChoices: false));
        if (WarrantyWithinDays is < 0 or > 36500) p.Add("warrantyWithinDays", AssetRefusals.WarrantyDaysRange());
        if (Page < 1) p.Add("page", AssetRefusals.PagesStartAtOne());
        if (PageSize is < 1 or > 1000) p.Add("pageSize", AssetRefusals.PageSizeRange());
        p.ThrowIfAny();
    }

    public bool Matches(Asset a, DateOnly today)
    {
        if (Category is not null && AssetVocabulary.Name(a.Details.Category) != Category.ToLowerInvariant())
            return false;
        if (Status is not null && AssetVocabulary.Name(a.Status) != Status.ToLowerInvariant()) return false;
        if (Room is not null && !string.Equals(a.Location?.Room, Room, StringComparison.OrdinalIgnoreCase))
            return false;
        if (Rack is not null && !string.Equals(a.Location?.Rack, Rack, StringComparison.OrdinalIgnoreCase))
            return false;
        if (WarrantyWithinDays is { } d && (a.WarrantyEnd is not { } end || end < today || end > today.AddDays(d)))
            return false;
        if (string.IsNullOrWhiteSpace(Q)) return true;
        return new[] { a.Tag, a.Details.Make, a.Details.Model, a.Details.Serial, a.Details.Owner,
            a.Details.ManagementAddress }
            .Any(t => t?.Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase) == true);
    }
}

public sealed record InventoryPage(IReadOnlyList<Asset> Items, long Total, int Page, int PageSize,
    DateTimeOffset? AsOf);

public static class InventoryQueries
{
    public static async Task<InventoryPage> FindAsync(IQuerySession s, InventoryFilter f, CancellationToken ct)
    {
        f.Check();
        if (f.AsOf is { } asOf) return await FindAsOfAsync(s, f, asOf, ct);
        var where = Filtered(f, Today());
        var items = await s.QueryAsync<Asset>(where.Sql + Page(f), ct, where.Args);
        return new InventoryPage(items, await CountAsync(s, where, ct), f.PageNumber, f.Size, null);
    }

    /// <summary>
    /// The current page as the read model's own JSON, shaped like <see cref="InventoryPage"/>: what the
    /// API answers, without parsing and serializing every asset again. As-of pages are folded, so typed.
    /// </summary>
    public static async Task<string> FindJsonAsync(IQuerySession s, InventoryFilter f, CancellationToken ct)
    {
        f.Check();
        if (f.AsOf is not null) return s.DocumentStore.Options.Serializer().ToJson(await FindAsync(s, f, ct));
        var where = Filtered(f, Today());
        var items = await s.AdvancedSql.QueryAsync<string>(
            $"select data::text from {Table(s)} {where.Sql}{Page(f)}", ct, where.Args);
        var total = await CountAsync(s, where, ct);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"items\":[{string.Join(',', items)}],\"total\":{total}," +
            $"\"page\":{f.PageNumber},\"pageSize\":{f.Size}}}");
    }

    /// <summary>Every matching asset, for exports; streamed page by page so a large register stays cheap.</summary>
    public static async IAsyncEnumerable<Asset> AllAsync(IQuerySession s, InventoryFilter f,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var page = 1; ; page++)
        {
            var result = await FindAsync(s, f with { Page = page, PageSize = 1000 }, ct);
            foreach (var a in result.Items) yield return a;
            if (result.Items.Count < 1000) yield break;
        }
    }

    public static async Task<IReadOnlyList<Asset>> InRackAsync(IQuerySession s, string rack, CancellationToken ct,
        DateTimeOffset? asOf = null) =>
        (await FindAsync(s, new InventoryFilter { Rack = rack, PageSize = 1000, AsOf = asOf }, ct)).Items
            .Where(a => a.Status != AssetStatus.Retired).ToList();

    /// <summary>Counts by status and by category, for the dashboard.</summary>
    public static async Task<Dashboard> CountsAsync(IQuerySession s, CancellationToken ct)
    {
        // One JSON object per grouping ({"in_service": 12, ...}): Marten reads a row of several columns as documents.
        async Task<Dictionary<string, long>> Group(string expr) =>
            JsonSerializer.Deserialize<Dictionary<string, long>>((await s.AdvancedSql.QueryAsync<string>(
                $$"""
                select coalesce(jsonb_object_agg(k, n), '{}')::text
                  from (select coalesce({{expr}}, '') k, count(*) n from {{Table(s)}} group by 1) g
                """, ct))[0])!;
        var expiring = await CountAsync(s, Filtered(new InventoryFilter { WarrantyWithinDays = 90 }, Today()), ct);
        return new Dashboard(await Group("data->>'status'"), await Group("data->'details'->>'category'"), expiring);
    }

    private static DateOnly Today() => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Table(IQuerySession s) =>
        $"{s.DocumentStore.Options.DatabaseSchemaName}.mt_doc_{InventoryProjection.Alias}";

    private static async Task<long> CountAsync(IQuerySession s, Where where, CancellationToken ct) =>
        (await s.AdvancedSql.QueryAsync<long>($"select count(*) from {Table(s)} {where.Sql}", ct, where.Args))[0];

    private static string Page(InventoryFilter f) => string.Create(CultureInfo.InvariantCulture,
        $" order by upper(data->>'tag'), id limit {f.Size} offset {(f.PageNumber - 1) * f.Size}");

    /// <summary>A where clause with Marten's positional parameters ('?'), over the indexed expressions.</summary>
    private sealed record Where(string Sql, object[] Args);

    private static Where Filtered(InventoryFilter f, DateOnly today)
    {
        var clauses = new List<string>();
        var args = new List<object>();
        void Add(string sql, params object[] values) { clauses.Add($"({sql})"); args.AddRange(values); }
        if (f.Category is not null) Add("data->'details'->>'category' = ?", f.Category.ToLowerInvariant());
        if (f.Status is not null) Add("data->>'status' = ?", f.Status.ToLowerInvariant());
        if (f.Room is not null) Add("upper(data->'location'->>'room') = upper(?)", f.Room);
        if (f.Rack is not null) Add("upper(data->'location'->>'rack') = upper(?)", f.Rack);
        if (f.WarrantyWithinDays is { } days)
            Add("data->>'warrantyEnd' >= ? and data->>'warrantyEnd' <= ?",
                today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(f.Q))
            Add("concat_ws(' ', data->>'tag', data->'details'->>'make', data->'details'->>'model', " +
                "data->'details'->>'serial', data->'details'->>'owner', data->'details'->>'managementAddress') ilike ?",
                "%" + f.Q.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
        return new Where(clauses.Count == 0 ? "" : "where " + string.Join(" and ", clauses), [.. args]);
    }

    // As of a moment: the asset events up to then, read in one ordered pass and folded stream by stream (no
    // snapshots), then filtered. A room or rack filter first narrows the pass to the streams that ever named it.
    private static async Task<InventoryPage> FindAsOfAsync(IQuerySession s, InventoryFilter f, DateTimeOffset asOf,
        CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var matching = new List<Asset>();
        await foreach (var a in AsOfAsync(s, asOf, f.Room, f.Rack, ct))
            if (f.Matches(a, today)) matching.Add(a);
        matching.Sort((x, y) => string.CompareOrdinal(x.Tag.ToUpperInvariant(), y.Tag.ToUpperInvariant()));
        return new InventoryPage(matching.Skip((f.PageNumber - 1) * f.Size).Take(f.Size).ToList(), matching.Count,
            f.PageNumber, f.Size, asOf);
    }

    /// <summary>
    /// Every asset as it stood at <paramref name="asOf"/> (those registered by then), optionally only those that
    /// ever named the room or rack.
    /// </summary>
    public static async IAsyncEnumerable<Asset> AsOfAsync(IQuerySession s, DateTimeOffset asOf, string? room,
        string? rack, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var names = AssetsSlice.AssetEvents.Select(e => e.Name).ToArray();
        var events = s.Events.QueryAllRawEvents().Where(e => e.EventTypeName.IsOneOf(names) && e.Timestamp <= asOf);
        if (room is not null || rack is not null)
        {
            var streams = await NamingStreamsAsync(s, names, asOf, room, rack, ct);
            events = events.Where(e => e.StreamKey!.IsOneOf(streams));
        }
        string? stream = null;
        Asset? state = null;
        foreach (var e in await events.OrderBy(e => e.StreamKey).ThenBy(e => e.Version).ToListAsync(ct))
        {
            if (e.StreamKey != stream)
            {
                if (state is not null) yield return state;
                (stream, state) = (e.StreamKey, null);
            }
            state = AssetFold.Step(state, e);
        }
        if (state is not null) yield return state;
    }

    private static async Task<string[]> NamingStreamsAsync(IQuerySession s, string[] names, DateTimeOffset asOf,
        string? room, string? rack, CancellationToken ct)
    {
        var clauses = new List<string> { "type = any(?)", "timestamp <= ?" };
        var args = new List<object> { names, asOf.ToUniversalTime() };
        void Named(string key, string value)
        {
            clauses.Add($"(upper(data->'location'->>'{key}') = upper(?) or upper(data->'to'->>'{key}') = upper(?))");
            args.AddRange([value, value]);
        }
        if (room is not null) Named("room", room);
        if (rack is not null) Named("rack", rack);
        var events = s.DocumentStore.Options.Events.DatabaseSchemaName;
        return [.. await s.AdvancedSql.QueryAsync<string>(
            $"select distinct stream_id from {events}.mt_events where {string.Join(" and ", clauses)}", ct, [.. args])];
    }
}

public sealed record Dashboard(IReadOnlyDictionary<string, long> ByStatus, IReadOnlyDictionary<string, long> ByCategory,
    long WarrantyEndingIn90Days);

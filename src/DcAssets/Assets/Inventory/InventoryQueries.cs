using System.Globalization;
using System.Text.Json;
using DcAssets.EventStore;
using DcAssets.EventStore.Projections;

namespace DcAssets.Assets.Inventory;

/// <summary>What the inventory list is asked for. Text is matched against tag, make, model, serial, owner and address.</summary>
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
        if (Category is not null && !AssetVocabulary.TryParse<AssetCategory>(Category, out _)) p.Add("category", AssetRefusals.NotACategory(Category, withChoices: false));
        if (Status is not null && !AssetVocabulary.TryParse<AssetStatus>(Status, out _)) p.Add("status", AssetRefusals.NotAStatus(Status, withChoices: false));
        if (WarrantyWithinDays is < 0 or > 36500) p.Add("warrantyWithinDays", AssetRefusals.WarrantyDaysRange());
        if (Page < 1) p.Add("page", AssetRefusals.PagesStartAtOne());
        if (PageSize is < 1 or > 1000) p.Add("pageSize", AssetRefusals.PageSizeRange());
        p.ThrowIfAny();
    }

    public bool Matches(Asset a, DateOnly today)
    {
        if (Category is not null && AssetVocabulary.Name(a.Details.Category) != Category.ToLowerInvariant()) return false;
        if (Status is not null && AssetVocabulary.Name(a.Status) != Status.ToLowerInvariant()) return false;
        if (Room is not null && !string.Equals(a.Location?.Room, Room, StringComparison.OrdinalIgnoreCase)) return false;
        if (Rack is not null && !string.Equals(a.Location?.Rack, Rack, StringComparison.OrdinalIgnoreCase)) return false;
        if (WarrantyWithinDays is { } d && (a.WarrantyEnd is not { } end || end < today || end > today.AddDays(d))) return false;
        if (string.IsNullOrWhiteSpace(Q)) return true;
        return new[] { a.Tag, a.Details.Make, a.Details.Model, a.Details.Serial, a.Details.Owner, a.Details.ManagementAddress }
            .Any(t => t?.Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase) == true);
    }
}

public sealed record InventoryPage(IReadOnlyList<Asset> Items, long Total, int Page, int PageSize, DateTimeOffset? AsOf);

public static class InventoryQueries
{
    public static async Task<InventoryPage> FindAsync(QuerySession s, InventoryFilter f, CancellationToken ct)
    {
        f.Check();
        if (f.AsOf is { } asOf) return await FindAsOfAsync(s, f, asOf, ct);
        var (items, total) = await Paged(s, f).ToPageAsync(ct);
        return new InventoryPage(items, total, f.PageNumber, f.Size, null);
    }

    /// <summary>
    /// The current page as the read model's own JSON, shaped like <see cref="InventoryPage"/>: what the
    /// API answers, without parsing and serializing every asset again. As-of pages are folded, so typed.
    /// </summary>
    public static async Task<string> FindJsonAsync(QuerySession s, InventoryFilter f, CancellationToken ct)
    {
        f.Check();
        if (f.AsOf is not null) return JsonSerializer.Serialize(await FindAsync(s, f, ct), s.Store.Options.Json);
        var (items, total) = await Paged(s, f).ToJsonPageAsync(ct);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"items\":[{string.Join(',', items)}],\"total\":{total},\"page\":{f.PageNumber},\"pageSize\":{f.Size}}}");
    }

    private static DocumentQuery<Asset> Paged(QuerySession s, InventoryFilter f) =>
        Filtered(s, f, DateOnly.FromDateTime(DateTime.UtcNow)).OrderBy("upper(data->>'tag')").Skip((f.PageNumber - 1) * f.Size).Take(f.Size);

    /// <summary>Every matching asset, for exports; streamed page by page so a large register stays cheap.</summary>
    public static async IAsyncEnumerable<Asset> AllAsync(QuerySession s, InventoryFilter f, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var page = 1; ; page++)
        {
            var result = await FindAsync(s, f with { Page = page, PageSize = 1000 }, ct);
            foreach (var a in result.Items) yield return a;
            if (result.Items.Count < 1000) yield break;
        }
    }

    public static async Task<IReadOnlyList<Asset>> InRackAsync(QuerySession s, string rack, CancellationToken ct, DateTimeOffset? asOf = null) =>
        (await FindAsync(s, new InventoryFilter { Rack = rack, PageSize = 1000, AsOf = asOf }, ct)).Items
            .Where(a => a.Status != AssetStatus.Retired).ToList();

    /// <summary>Counts by status and by category, for the dashboard.</summary>
    public static async Task<Dashboard> CountsAsync(QuerySession s, CancellationToken ct)
    {
        var table = $"{s.Store.Schema}.doc_inventory";
        async Task<Dictionary<string, long>> Group(string expr)
        {
            await using var cmd = s.Store.DataSource.CreateCommand($"select coalesce({expr}, ''), count(*) from {table} group by 1");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var d = new Dictionary<string, long>();
            while (await r.ReadAsync(ct)) d[r.GetString(0)] = r.GetInt64(1);
            return d;
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var expiring = await Filtered(s, new InventoryFilter { WarrantyWithinDays = 90 }, today).CountAsync(ct);
        return new Dashboard(await Group("data->>'status'"), await Group("data->'details'->>'category'"), expiring);
    }

    private static DocumentQuery<Asset> Query(QuerySession s) => s.Query<Asset>();

    private static DocumentQuery<Asset> Filtered(QuerySession s, InventoryFilter f, DateOnly today)
    {
        var q = Query(s);
        if (f.Category is not null) q.Where("data->'details'->>'category' = @category", ("category", f.Category.ToLowerInvariant()));
        if (f.Status is not null) q.Where("data->>'status' = @status", ("status", f.Status.ToLowerInvariant()));
        if (f.Room is not null) q.Where("upper(data->'location'->>'room') = upper(@room)", ("room", f.Room));
        if (f.Rack is not null) q.Where("upper(data->'location'->>'rack') = upper(@rack)", ("rack", f.Rack));
        if (f.WarrantyWithinDays is { } days)
            q.Where("data->>'warrantyEnd' >= @from and data->>'warrantyEnd' <= @to",
                ("from", today.ToString("yyyy-MM-dd")), ("to", today.AddDays(days).ToString("yyyy-MM-dd")));
        if (!string.IsNullOrWhiteSpace(f.Q))
            q.Where("concat_ws(' ', data->>'tag', data->'details'->>'make', data->'details'->>'model', data->'details'->>'serial', data->'details'->>'owner', data->'details'->>'managementAddress') ilike @q",
                ("q", "%" + f.Q.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%"));
        return q;
    }

    // As of a moment: the asset events up to then, read in one ordered pass and folded stream by stream (no snapshots),
    // then filtered. A room or rack filter first narrows the pass to the streams that ever named that room or rack.
    private static async Task<InventoryPage> FindAsOfAsync(QuerySession s, InventoryFilter f, DateTimeOffset asOf, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var matching = new List<Asset>();
        await foreach (var a in AsOfAsync(s, asOf, f.Room, f.Rack, ct))
            if (f.Matches(a, today)) matching.Add(a);
        matching.Sort((x, y) => string.CompareOrdinal(x.Tag.ToUpperInvariant(), y.Tag.ToUpperInvariant()));
        return new InventoryPage(matching.Skip((f.PageNumber - 1) * f.Size).Take(f.Size).ToList(), matching.Count, f.PageNumber, f.Size, asOf);
    }

    /// <summary>Every asset as it stood at <paramref name="asOf"/> (those registered by then), optionally only those that ever named the room or rack.</summary>
    public static async IAsyncEnumerable<Asset> AsOfAsync(QuerySession s, DateTimeOffset asOf, string? room, string? rack,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var store = s.Store;
        var schema = store.Schema;
        string Named(string key, string param) =>
            $"upper(n.data->'location'->>'{key}') = upper(@{param}) or upper(n.data->'to'->>'{key}') = upper(@{param})";
        var narrow = new List<string>();
        if (room is not null) narrow.Add(Named("room", "room"));
        if (rack is not null) narrow.Add(Named("rack", "rack"));
        var sql = $"""
            select e.seq, e.stream_id, e.version, e.type, e.data::text, e.recorded_at
              from {schema}.events e join {schema}.streams st on st.id = e.stream_id
             where st.type = 'asset' and not st.archived and e.recorded_at <= @asOf
            {(narrow.Count == 0 ? "" : $"""
               and e.stream_id in (select n.stream_id from {schema}.events n join {schema}.streams ns on ns.id = n.stream_id
                                    where ns.type = 'asset' and n.recorded_at <= @asOf and {string.Join(" and ", narrow.Select(c => $"({c})"))})
            """)}
             order by e.stream_id, e.version
            """;
        await using var cmd = store.DataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("asOf", asOf.ToUniversalTime());
        if (room is not null) cmd.Parameters.AddWithValue("room", room);
        if (rack is not null) cmd.Parameters.AddWithValue("rack", rack);

        // Shapes that need an upcaster are folded the store's way, stream by stream, after the pass.
        var upcast = new List<string>();
        string? stream = null;
        Asset? state = null;
        var skip = false;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var id = r.GetString(1);
                if (id != stream)
                {
                    if (!skip && state is not null) yield return state;
                    (stream, state, skip) = (id, null, false);
                }
                if (skip) continue;
                var typeName = r.GetString(3);
                var type = store.Registry.TypeOf(typeName);
                if (type is null || store.Registry.ResolveStored(typeName) != type)
                {
                    upcast.Add(id);
                    skip = true;
                    continue;
                }
                var data = System.Text.Json.JsonSerializer.Deserialize(r.GetString(4), type, store.Options.Json)!;
                state = AssetFold.Step(state, new StoredEvent(r.GetInt64(0), id, r.GetInt64(2), typeName, data, new EventMetadata(), r.GetFieldValue<DateTimeOffset>(5)));
            }
        }
        if (!skip && state is not null) yield return state;
        foreach (var id in upcast)
            if ((await s.Events.FetchStreamAsync(id, asOf: asOf, ct: ct)).Aggregate((Asset?)null, AssetFold.Step) is { } a) yield return a;
    }
}

public sealed record Dashboard(IReadOnlyDictionary<string, long> ByStatus, IReadOnlyDictionary<string, long> ByCategory, long WarrantyEndingIn90Days);

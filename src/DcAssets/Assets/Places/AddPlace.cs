using Marten;

namespace DcAssets.Assets.Places;

public sealed record AddSite(string? Code, string? Name);
public sealed record AddRoom(string? Code, string? Name, string? Site);
public sealed record AddRack(string? Code, string? Name, string? Room, int? HeightU, string? Row, int? PositionInRow,
    int? PowerBudgetW);

/// <summary>Decisions for new places. The caller passes the parent as loaded (null when it does not exist).</summary>
public static class AddPlace
{
    public static SiteAdded Decide(AddSite c)
    {
        var p = new Problems();
        CheckCode(p, c.Code);
        c.Name.RequireText(p, "name");
        p.ThrowIfAny();
        return new SiteAdded(c.Code!.Trim(), c.Name!.Trim());
    }

    public static RoomAdded Decide(AddRoom c, Place? site)
    {
        var p = new Problems();
        CheckCode(p, c.Code);
        c.Name.RequireText(p, "name");
        if (string.IsNullOrWhiteSpace(c.Site)) p.Add("site", AssetRefusals.Required());
        else if (site is not { Kind: PlaceKind.Site }) p.Add("site", AssetRefusals.NoSite(c.Site));
        p.ThrowIfAny();
        return new RoomAdded(c.Code!.Trim(), c.Name!.Trim(), site!.Code);
    }

    public static RackAdded Decide(AddRack c, Place? room)
    {
        var p = new Problems();
        CheckCode(p, c.Code);
        if (string.IsNullOrWhiteSpace(c.Room)) p.Add("room", AssetRefusals.Required());
        else if (room is not { Kind: PlaceKind.Room }) p.Add("room", AssetRefusals.NoRoom(c.Room));
        if (c.HeightU is null or < 1 or > 60) p.Add("heightU", AssetRefusals.HeightRange(1, 60));
        if (c.PowerBudgetW is < 0) p.Add("powerBudgetW", AssetRefusals.PowerBudgetNegative());
        p.ThrowIfAny();
        return new RackAdded(c.Code!.Trim(), AssetVocabulary.Clean(c.Name) ?? c.Code!.Trim(), room!.Code,
            c.HeightU!.Value,
            AssetVocabulary.Clean(c.Row), c.PositionInRow, c.PowerBudgetW);
    }

    public static async Task<Place> Handle(AddSite c, IDocumentSession s, CancellationToken ct) =>
        await StartAsync(s, PlaceKind.Site, Decide(c), ct);

    public static async Task<Place> Handle(AddRoom c, IDocumentSession s, CancellationToken ct) =>
        await StartAsync(s, PlaceKind.Room, Decide(c, await ParentAsync(s, PlaceKind.Site, c.Site, ct)), ct);

    public static async Task<Place> Handle(AddRack c, IDocumentSession s, CancellationToken ct) =>
        await StartAsync(s, PlaceKind.Rack, Decide(c, await ParentAsync(s, PlaceKind.Room, c.Room, ct)), ct);

    private static async Task<Place?> ParentAsync(IQuerySession s, PlaceKind kind, string? code,
        CancellationToken ct) =>
        AssetVocabulary.IsValidTag(code?.Trim())
            ? await s.LoadAsync<Place>(Place.StreamId(kind, code!.Trim()), ct) : null;

    /// <summary>
    /// A place is a stream of its own, started once: a second place of the kind and code is a conflict.
    /// </summary>
    private static async Task<Place> StartAsync(IDocumentSession s, PlaceKind kind, object added, CancellationToken ct)
    {
        var code = added switch
        {
            SiteAdded site => site.Code, RoomAdded room => room.Code, RackAdded rack => rack.Code, _ => ""
        };
        var id = Place.StreamId(kind, code);
        var exists = CommandRejected.Field("code", AssetRefusals.PlaceExists(AssetVocabulary.Name(kind), code),
            RejectionKind.Conflict);
        if (await s.Events.FetchStreamStateAsync(id, ct) is not null) throw exists;
        s.Events.StartStream(id, added);
        try { await s.SaveChangesAsync(ct); }
        catch (Marten.Exceptions.ExistingStreamIdCollisionException) { throw exists; }
        return (await s.LoadAsync<Place>(id, ct))!;
    }

    private static void CheckCode(Problems p, string? code)
    {
        if (!AssetVocabulary.IsValidTag(code?.Trim())) p.Add("code", AssetRefusals.CodeRule());
    }

    private static void RequireText(this string? text, Problems p, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) p.Add(field, AssetRefusals.Required());
        else if (text.Length > 200) p.Add(field, AssetRefusals.TooLong(200));
    }
}

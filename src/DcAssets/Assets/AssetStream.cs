using DcAssets.Assets.Places;
using DcAssets.EventStore;
using Marten;

namespace DcAssets.Assets;

/// <summary>
/// The load → decide → append cycle every asset change goes through, for the API and the CLI alike.
/// Appends carry the expected version, so a concurrent change fails instead of being lost; decisions that take
/// U positions hold their rack's lock (<see cref="Racks.RackLock"/>), so two of them cannot fill one U.
/// </summary>
public static class AssetStream
{
    /// <summary>The asset folded from its events (as of a moment when given) and the version it was folded at.</summary>
    public static async Task<(Asset? Asset, long Version)> LoadAsync(IQuerySession s, string tag,
        DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        if (!AssetVocabulary.IsValidTag(tag)) return (null, 0);
        var id = AssetVocabulary.StreamId(tag);
        var events = asOf is { } at
            ? await s.Events.FetchStreamAsync(id, timestamp: at, token: ct)
            : await s.Events.FetchStreamAsync(id, token: ct);
        return (events.Aggregate((Asset?)null, AssetFold.Step), events.Count == 0 ? 0 : events[^1].Version);
    }

    public static async Task<Whereabouts> WhereaboutsAsync(IQuerySession s, string? room, string? rack,
        CancellationToken ct)
    {
        room = AssetVocabulary.Clean(room);
        rack = AssetVocabulary.Clean(rack);
        var roomDoc = room is not null && AssetVocabulary.IsValidTag(room)
            ? await s.LoadAsync<Place>(Place.StreamId(PlaceKind.Room, room), ct) : null;
        var rackDoc = rack is not null && AssetVocabulary.IsValidTag(rack)
            ? await s.LoadAsync<Place>(Place.StreamId(PlaceKind.Rack, rack), ct) : null;
        var occupants = rackDoc is null ? [] : await Inventory.InventoryQueries.InRackAsync(s, rackDoc.Code, ct);
        return new Whereabouts(roomDoc, rackDoc, occupants);
    }

    public static async Task<Asset> RegisterAsync(IDocumentStore store, Actor actor, AssetInput c, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        await Racks.RackLock.TakeAsync(s, [c.Rack], ct);
        var (existing, _) = await LoadAsync(s, c.Tag?.Trim() ?? "", ct: ct);
        var registered = RegisterAsset.Decide(existing, c, await WhereaboutsAsync(s, c.Room, c.Rack, ct));
        s.Events.StartStream(AssetVocabulary.StreamId(registered.Tag), registered);
        await SaveAsync(s, registered.Tag, ct);
        return Asset.From(registered);
    }

    /// <summary>
    /// Applies a decision to a known asset; a decision with no events appends nothing. <paramref name="rack"/> is the
    /// rack whose units the decision may take (a move's target, a correction's own rack): it is locked meanwhile.
    /// </summary>
    public static async Task<Asset> ChangeAsync(IDocumentStore store, Actor actor, string tag, string? room,
        string? rack, Func<Asset, Whereabouts, IEnumerable<object?>> decide, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        await Racks.RackLock.TakeAsync(s, [rack], ct);
        var (asset, version) = await LoadAsync(s, tag, ct: ct);
        if (asset is null) throw CommandRejected.Field("tag", AssetRefusals.NoAsset(tag), RejectionKind.NotFound);
        var events = decide(asset, await WhereaboutsAsync(s, room, rack, ct)).OfType<object>().ToArray();
        if (events.Length == 0) return asset;
        // Marten's expected version is the one the stream will have after the append.
        s.Events.Append(asset.Id, version + events.Length, events);
        await SaveAsync(s, asset.Tag, ct);
        return events.Aggregate(asset, (a, e) => AssetFold.Next(a, e)!);
    }

    /// <summary>
    /// Corrects what an asset is, holding the lock of the rack it stands in (a taller asset must still fit there).
    /// Which rack that is can only be read before the lock is taken; a move committed in between is seen under the
    /// lock and the correction refused as changed meanwhile, since the rack locked is no longer the asset's.
    /// </summary>
    public static async Task<Asset> CorrectDetailsAsync(IDocumentStore store, Actor actor, string tag, AssetInput c,
        CancellationToken ct)
    {
        Location? seen;
        await using (var q = store.QuerySession()) seen = (await LoadAsync(q, tag, ct: ct)).Asset?.Location;
        return await ChangeAsync(store, actor, tag, seen?.Room, seen?.Rack, (a, w) =>
        {
            if (!string.Equals(a.Location?.Rack, seen?.Rack, StringComparison.OrdinalIgnoreCase))
                throw CommandRejected.Field("tag", AssetRefusals.ChangedMeanwhile(a.Tag), RejectionKind.Conflict);
            return [CorrectAssetDetails.Decide(a, c, w)];
        }, ct);
    }

    /// <summary>A save that lost a race to another change of the same asset is refused as a conflict.</summary>
    public static async Task SaveAsync(IDocumentSession s, string tag, CancellationToken ct)
    {
        try { await s.SaveChangesAsync(ct); }
        catch (Exception e) when (e is JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            throw CommandRejected.Field("tag", AssetRefusals.ChangedMeanwhile(tag), RejectionKind.Conflict);
        }
    }
}

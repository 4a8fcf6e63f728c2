using DcAssets.Assets.Places;
using Marten;

namespace DcAssets.Assets;

/// <summary>
/// The load → decide → append cycle every asset use case's handler goes through (RegisterAsset.Handle,
/// MoveAsset.Handle…).
/// Appends carry the expected version, so a concurrent change fails instead of being lost; decisions that take
/// U positions hold their rack's lock (<see cref="Racks.RackLock"/>), so two of them cannot fill one U.
/// </summary>
public static class AssetStream
{
    /// <summary>
    /// The asset folded from its events (as of a moment when given) and the version it was folded at.
    /// </summary>
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

    /// <summary>
    /// Applies a decision to a known asset in the handler's session; a decision with no event appends nothing.
    /// <paramref name="rack"/> is the rack whose units the decision may take (a move's target, a correction's own
    /// rack): it is locked until the session commits.
    /// </summary>
    public static async Task<Asset> ChangeAsync(IDocumentSession s, string tag, string? room, string? rack,
        Func<Asset, Whereabouts, object?> decide, CancellationToken ct)
    {
        await Racks.RackLock.TakeAsync(s, [rack], ct);
        // FetchForWriting reads the inline inventory document and remembers its version: a change committed
        // meanwhile fails the save instead of being overwritten.
        var stream = AssetVocabulary.IsValidTag(tag)
            ? await s.Events.FetchForWriting<Asset>(AssetVocabulary.StreamId(tag), ct) : null;
        if (stream?.Aggregate is not { } asset)
            throw CommandRejected.Field("tag", AssetRefusals.NoAsset(tag), RejectionKind.NotFound);
        if (decide(asset, await WhereaboutsAsync(s, room, rack, ct)) is not { } e) return asset;
        stream.AppendOne(e);
        await SaveAsync(s, asset.Tag, ct);
        return AssetFold.Next(asset, e)!;
    }

    /// <summary>Registers outside the bus (the CLI, tests): the handler in a session of the actor's.</summary>
    public static async Task<Asset> RegisterAsync(IDocumentStore store, Actor actor, AssetInput c, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        return await RegisterAsset.Handle(new RegisterAssetCommand(c), s, ct);
    }

    /// <summary>Changes outside the bus (the CLI, tests): <see cref="ChangeAsync(IDocumentSession, string, string?,
    /// string?, Func{Asset, Whereabouts, object?}, CancellationToken)"/> in a session of the actor's.</summary>
    public static async Task<Asset> ChangeAsync(IDocumentStore store, Actor actor, string tag, string? room,
        string? rack, Func<Asset, Whereabouts, object?> decide, CancellationToken ct)
    {
        await using var s = store.OpenSession(actor);
        return await ChangeAsync(s, tag, room, rack, decide, ct);
    }

    /// <summary>A save that lost a race to another change of the same asset is refused as a conflict.</summary>
    public static async Task SaveAsync(IDocumentSession s, string tag, CancellationToken ct)
    {
        try { await s.SaveChangesAsync(ct); }
        catch (Exception e) when (e is JasperFx.ConcurrencyException
                                   or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            throw CommandRejected.Field("tag", AssetRefusals.ChangedMeanwhile(tag), RejectionKind.Conflict);
        }
    }
}

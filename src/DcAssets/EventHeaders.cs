using System.Text.Json;
using JasperFx.Events;
using Marten;

namespace DcAssets;

/// <summary>
/// The header keys every Marten session of the product sets on the events it appends: who acted, in which role,
/// through which door (ui, api, cli, poller, trap, import) and from which address. User name, correlation and
/// causation ids have Marten columns of their own.
/// </summary>
public static class EventHeaders
{
    public const string ActorId = "actor_id";
    public const string Role = "role";
    public const string Source = "source";
    public const string ClientAddress = "client_address";
    public const string IdempotencyKey = "idempotency_key";

    /// <summary>Stamps a session so every event it appends names <paramref name="actor"/>.</summary>
    public static void Stamp(IDocumentSession session, Actor actor)
    {
        session.LastModifiedBy = actor.Name;
        if (actor.CorrelationId is not null) session.CorrelationId = actor.CorrelationId;
        session.SetHeader(ActorId, actor.Id);
        session.SetHeader(Source, actor.Source);
        // Headers absent rather than null: a null value would be written as JSON null and read back as such.
        if (actor.Role is not null) session.SetHeader(Role, actor.Role);
        if (actor.ClientAddress is not null) session.SetHeader(ClientAddress, actor.ClientAddress);
    }

    /// <summary>A lightweight session whose appends carry <paramref name="actor"/> (see <see cref="Stamp"/>).</summary>
    public static IDocumentSession OpenSession(this IDocumentStore store, Actor actor)
    {
        var session = store.LightweightSession();
        Stamp(session, actor);
        return session;
    }

    /// <summary>
    /// A header as text. Inline projections see the value the session set; events read back from the database
    /// carry it as a JSON element.
    /// </summary>
    public static string? Read(IEvent e, string key) =>
        e.Headers is { } headers && headers.TryGetValue(key, out var value) ? value switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            _ => value.ToString(),
        } : null;
}

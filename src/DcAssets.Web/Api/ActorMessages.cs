using DcAssets.Web.Identity;
using Marten;
using Wolverine;

namespace DcAssets.Web.Api;

/// <summary>
/// Who sent a command travels with it as envelope headers, so the handler's session stamps the events it appends
/// (<see cref="EventHeaders"/>) whether the command was invoked inline or ran later from a queue.
/// </summary>
public static class ActorMessages
{
    private const string Prefix = "dcassets-";

    public static DeliveryOptions For(Actor actor)
    {
        var options = new DeliveryOptions();
        options.Headers[Prefix + EventHeaders.ActorId] = actor.Id;
        options.Headers[Prefix + "actor_name"] = actor.Name;
        options.Headers[Prefix + EventHeaders.Source] = actor.Source;
        if (actor.Role is not null) options.Headers[Prefix + EventHeaders.Role] = actor.Role;
        if (actor.ClientAddress is not null) options.Headers[Prefix + EventHeaders.ClientAddress] = actor.ClientAddress;
        if (actor.CorrelationId is not null) options.Headers[Prefix + "correlation_id"] = actor.CorrelationId;
        return options;
    }

    /// <summary>The actor a message was sent by; a message nobody stamped (a timer's) is the system's.</summary>
    public static Actor Read(Envelope envelope)
    {
        string? H(string key) => envelope.Headers.TryGetValue(Prefix + key, out var v) ? v : null;
        if (H(EventHeaders.ActorId) is not { } id) return Actor.System();
        return new Actor(id, H("actor_name") ?? id, H(EventHeaders.Role), H(EventHeaders.Source) ?? EventSources.System)
        {
            ClientAddress = H(EventHeaders.ClientAddress),
            CorrelationId = H("correlation_id") ?? envelope.CorrelationId,
        };
    }

    /// <summary>Runs a command's handler now, as the signed-in person (or token) of the request.</summary>
    public static Task<T> InvokeAsync<T>(this IMessageBus bus, HttpContext http, object command,
        CancellationToken ct) =>
        bus.InvokeAsync<T>(command, For(http.Actor()), ct);
}

/// <summary>Wolverine middleware on every handler: the session it is given appends as the message's actor.</summary>
public static class ActorStamp
{
    public static Actor Before(Envelope envelope, IDocumentSession session)
    {
        var actor = ActorMessages.Read(envelope);
        EventHeaders.Stamp(session, actor);
        return actor;
    }
}

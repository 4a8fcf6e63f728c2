using DcAssets.Identity;
using DcAssets.Web.Api;
using Marten;
using Wolverine;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace DcAssets.Web.Identity;

public sealed record LoginRequest(string? Name, string? Password);
public sealed record OwnPasswordRequest(string? CurrentPassword, string? Password);

/// <summary>
/// /api/v1/session (sign in and out), /api/v1/users (people, roles, tokens), /api/v1/security/sign-ins.
/// </summary>
public static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder api)
    {
        var session = api.MapGroup("/session").WithTags("Session");
        session.MapPost("/", Login).AllowAnonymous();
        session.MapGet("/", (HttpContext http, Marten.IDocumentStore store, CancellationToken ct) =>
            Me(http, store, ct)).RequireAuthorization(Policies.Read);
        session.MapDelete("/", Logout).RequireAuthorization(Policies.Read);
        session.MapPut("/password", ChangeOwnPassword).RequireAuthorization(Policies.Read);

        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.ManagePeople);
        users.MapGet("/", async (Marten.IDocumentStore store, CancellationToken ct) =>
        {
            await using var s = store.QuerySession();
            return (await s.Query<User>().OrderBy(u => u.Name).ToListAsync(ct)).Select(UserView.Of);
        });
        users.MapPost("/", async (CreateUserCommand c, HttpContext http, IMessageBus bus, CancellationToken ct) =>
        {
            var u = await bus.InvokeAsync<User>(http, c, ct);
            return Results.Created($"/api/v1/users/{u.Name}", UserView.Of(u));
        });
        users.MapGet("/{name}", async (string name, Marten.IDocumentStore store, CancellationToken ct) =>
        {
            await using var s = store.QuerySession();
            return await UserStream.LoadAsync(s, name, ct) is { } u
                ? Results.Ok(UserView.Of(u)) : NotFound("name", name);
        });
        users.MapPost("/{name}/roles", (string name, RoleCommand c, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Change(http, bus, new GrantRole(name, c.Role), ct));
        users.MapDelete("/{name}/roles/{role}", (string name, string role, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Change(http, bus, new RevokeRole(name, role), ct));
        users.MapPut("/{name}/password", (string name, ChangePasswordCommand c, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Change(http, bus, new SetPassword(name, c.Password), ct));
        users.MapPost("/{name}/disable", (string name, DisableUserCommand c, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Change(http, bus, new DisableUser(name, c.Reason), ct));
        users.MapPost("/{name}/tokens", async (string name, IssueTokenCommand c, HttpContext http, IMessageBus bus,
            CancellationToken ct) =>
        {
            var issued = await bus.InvokeAsync<IssuedToken>(http, new IssueToken(name, c.Label), ct);
            return Results.Created($"/api/v1/users/{issued.Name}/tokens/{issued.TokenId}",
                new { issued.TokenId, issued.Token, issued.Label });
        });
        users.MapDelete("/{name}/tokens/{tokenId}", (string name, string tokenId, HttpContext http, IMessageBus bus,
            CancellationToken ct) => Change(http, bus, new RevokeToken(name, tokenId), ct));

        api.MapGet("/security/sign-ins", async (int? take, Marten.IDocumentStore store, CancellationToken ct) =>
            {
                await using var s = store.QuerySession();
                return await s.Query<SignInRecord>().OrderByDescending(r => r.Id).Take(Math.Clamp(take ?? 200, 1, 1000))
                    .ToListAsync(ct);
            })
            .WithTags("Security").RequireAuthorization(Policies.Audit);
        return api;
    }

    private static async Task<IResult> Login(LoginRequest req, HttpContext http, IMessageBus bus,
        LoginThrottle throttle,
        CancellationToken ct)
    {
        if (!throttle.TryAttempt(http)) return LoginThrottle.TooMany();
        var actor = new Actor(req.Name ?? "", req.Name ?? "", null,
            EventSources.Ui) { ClientAddress = http.Connection.RemoteIpAddress?.ToString() };
        var user = await bus.InvokeAsync<User?>(new SignIn(req.Name, req.Password), ActorMessages.For(actor), ct);
        if (user is null)
            return Results.Problem(statusCode: 401, title: "Sign-in failed",
                detail: "wrong name or password, or the user is disabled");
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            IdentityAuth.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme, EventSources.Ui));
        return Results.Ok(UserView.Of(user));
    }

    private static async Task<IResult> Me(HttpContext http, Marten.IDocumentStore store, CancellationToken ct)
    {
        await using var s = store.QuerySession();
        return await UserStream.LoadAsync(s, http.User.Identity?.Name, ct) is { } u
            ? Results.Ok(UserView.Of(u)) : Results.Unauthorized();
    }

    private static async Task<IResult> Logout(HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        await bus.InvokeAsync(new SignOut(http.Actor().Name), ActorMessages.For(http.Actor()), ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }

    private static async Task<IResult> ChangeOwnPassword(OwnPasswordRequest req, HttpContext http, IMessageBus bus,
        LoginThrottle throttle, CancellationToken ct)
    {
        if (!throttle.TryAttempt(http)) return LoginThrottle.TooMany();
        var name = http.User.Identity!.Name!;
        var u = await bus.InvokeAsync<User>(http, new ChangeOwnPassword(name, req.CurrentPassword, req.Password), ct);
        // The new password ends every other session of this person; the one that changed it stays open.
        if (http.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                IdentityAuth.Principal(u, CookieAuthenticationDefaults.AuthenticationScheme, EventSources.Ui));
        return Results.Ok(UserView.Of(u));
    }

    private static async Task<IResult> Change(HttpContext http, IMessageBus bus, object command,
        CancellationToken ct) =>
        Results.Ok(UserView.Of(await bus.InvokeAsync<User>(http, command, ct)));

    internal static IResult NotFound(string field, string value) =>
        Results.Problem(statusCode: 404, title: "Not found", detail: $"no {field} '{value}'");
}

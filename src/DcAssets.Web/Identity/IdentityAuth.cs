using System.Security.Claims;
using System.Text.Encodings.Web;
using DcAssets.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace DcAssets.Web.Identity;

/// <summary>Cookie sessions for people, bearer tokens for scripts, the policies, and the login rate limit.</summary>
public static class IdentityAuth
{
    public const string Smart = "smart", Bearer = "bearer";
    public const string SourceClaim = "dcassets:source", StampClaim = "dcassets:stamp";

    public static IServiceCollection AddIdentitySlice(this IServiceCollection services, IConfiguration config)
    {
        services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, "cookie or bearer", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? Bearer : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "dcassets";
                o.Cookie.HttpOnly = true;
                // Strict same-site keeps other sites from riding the session on JSON posts.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/access-denied";
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, 401);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, 403);
                o.Events.OnValidatePrincipal = ValidateSession;
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(Bearer, null);

        services.AddAuthorization(o =>
        {
            foreach (var (policy, roles) in Policies.AllowedRoles)
                o.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
            // Anything that forgot a policy still needs a signed-in person.
            o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser().Build();
        });

        services.AddSingleton<LoginThrottle>();
        return services;
    }

    public static ClaimsPrincipal Principal(User user, string scheme, string source) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Name),
                new Claim(SourceClaim, source),
             new Claim(StampClaim, user.SecurityStamp()),
             .. user.Roles.Select(r => new Claim(ClaimTypes.Role, r))],
            scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>Who is acting, for the metadata of every appended event.</summary>
    public static Actor Actor(this HttpContext http)
    {
        var u = http.User;
        var address = http.Connection.RemoteIpAddress?.ToString();
        if (u.Identity?.IsAuthenticated != true)
            return new Actor("anonymous", "anonymous", null, EventSources.Ui) { ClientAddress = address };
        return new Actor(u.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", u.Identity.Name ?? "",
            string.Join(',', u.FindAll(ClaimTypes.Role).Select(c => c.Value)),
            u.FindFirstValue(SourceClaim) ?? EventSources.Ui)
        { ClientAddress = address, CorrelationId = http.TraceIdentifier };
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (!ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.Redirect(ctx.RedirectUri);
            return Task.CompletedTask;
        }
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every request of an open session is checked against the person as stored now: disabled, or signed in before
    /// their password last changed → the session ends; roles granted or revoked since → the session carries the new
    /// roles from this request on.
    /// </summary>
    private static async Task ValidateSession(CookieValidatePrincipalContext ctx)
    {
        var store = ctx.HttpContext.RequestServices.GetRequiredService<Marten.IDocumentStore>();
        var principal = ctx.Principal;
        var name = principal?.Identity?.Name;
        await using var s = store.QuerySession();
        var user = await UserStream.LoadAsync(s, name, ctx.HttpContext.RequestAborted);
        if (principal is null || user is null || user.Disabled
            || principal.FindFirstValue(StampClaim) != user.SecurityStamp())
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal);
        if (!roles.SequenceEqual(user.Roles.Order(StringComparer.Ordinal)))
        {
            ctx.ReplacePrincipal(Principal(user, CookieAuthenticationDefaults.AuthenticationScheme,
                principal.FindFirstValue(SourceClaim) ?? EventSources.Ui));
            ctx.ShouldRenew = true;
        }
    }
}

/// <summary>
/// <c>Authorization: Bearer dca_…</c>: the token's user, with that user's roles, if neither is revoked or disabled.
/// </summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, Marten.IDocumentStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        if (!Credentials.TryParseToken(header["Bearer ".Length..].Trim(), out var id, out var secret))
            return AuthenticateResult.Fail("malformed token");
        await using var s = store.QuerySession();
        var token = await s.LoadAsync<ApiTokenRecord>(id, Context.RequestAborted);
        if (token is null || token.Revoked || !Credentials.SecretMatches(secret, token.SecretHash))
            return AuthenticateResult.Fail("unknown or revoked token");
        var user = await s.LoadAsync<User>(User.StreamId(token.User), Context.RequestAborted);
        if (user is null || user.Disabled) return AuthenticateResult.Fail("the token's user is disabled");
        return AuthenticateResult.Success(new AuthenticationTicket(IdentityAuth.Principal(user, Scheme.Name,
            EventSources.Api), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}

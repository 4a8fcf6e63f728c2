using System.Threading.RateLimiting;

namespace DcAssets.Web.Identity;

/// <summary>
/// Sign-in attempts per client address per minute (Login:AttemptsPerMinute, 10), one budget shared by
/// POST /api/v1/session, the login form and own password changes. Asked by the handlers themselves, so the
/// API answers 429 problem details and the form re-renders itself with a message in the reader's language.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public LoginThrottle(IConfiguration config)
    {
        var perMinute = config.GetValue("Login:AttemptsPerMinute", 10);
        _limiter = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0 }));
    }

    /// <summary>Takes one attempt from the caller's budget; false (with Retry-After set) when it is spent.</summary>
    public bool TryAttempt(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "local");
        if (lease.IsAcquired) return true;
        http.Response.Headers.RetryAfter = "60";
        return false;
    }

    public static IResult TooMany() =>
        Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many login attempts",
            detail: "wait a minute before trying again");

    public void Dispose() => _limiter.Dispose();
}

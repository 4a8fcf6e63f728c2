using System.Net;
using DcAssets.Web.Api;
using Microsoft.AspNetCore.Http;

namespace DcAssets.Web.Tests;

/// <summary>Who may read /metrics: this machine, or a scraper with the configured token.</summary>
public sealed class MetricsAccessTests
{
    private static HttpContext From(string address, string? bearer = null)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (bearer is not null) http.Request.Headers.Authorization = "Bearer " + bearer;
        return http;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void A_scraper_on_this_machine_needs_no_token(string address) =>
        MetricsAccess.Allowed(From(address), token: null).Should().BeTrue();

    [Fact]
    public void Another_machine_without_the_token_is_refused() =>
        MetricsAccess.Allowed(From("10.0.0.5"), token: "scrape-secret").Should().BeFalse();

    [Fact]
    public void Another_machine_with_a_wrong_token_is_refused() =>
        MetricsAccess.Allowed(From("10.0.0.5", "guess"), token: "scrape-secret").Should().BeFalse();

    [Fact]
    public void Another_machine_with_the_token_is_let_in() =>
        MetricsAccess.Allowed(From("10.0.0.5", "scrape-secret"), token: "scrape-secret").Should().BeTrue();

    [Fact]
    public void Without_a_configured_token_only_this_machine_is_let_in() =>
        MetricsAccess.Allowed(From("10.0.0.5", ""), token: null).Should().BeFalse();
}

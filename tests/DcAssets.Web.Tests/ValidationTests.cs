using DcAssets.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DcAssets.Web.Tests;

/// <summary>
/// Requests that cannot even be bound — a bad date or number in the query, JSON of the wrong shape or no JSON
/// at all — answer with problem details naming the field, in the Production environment, and append nothing.
/// </summary>
public sealed class ValidationTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_host_under_test_runs_as_production() =>
        app.Services.GetRequiredService<IHostEnvironment>().EnvironmentName.Should().Be("Production");

    [Theory]
    [InlineData("/api/v1/inventory?asOf=yesterday-ish", "asOf")]
    [InlineData("/api/v1/inventory?page=x", "page")]
    [InlineData("/api/v1/inventory?pageSize=ten", "pageSize")]
    [InlineData("/api/v1/assets?page=x", "page")]
    [InlineData("/api/v1/assets?asOf=yesterday-ish", "asOf")]
    [InlineData("/api/v1/inventory/export.csv?warrantyWithinDays=soon", "warrantyWithinDays")]
    [InlineData("/api/v1/assets/SRV-1?asOf=13/13/2020", "asOf")]
    [InlineData("/api/v1/racks/A01/elevation?asOf=now", "asOf")]
    [InlineData("/api/v1/inventory/import?dryRun=perhaps", "dryRun")]
    public async Task A_query_value_that_cannot_be_read_is_named(string url, string field)
    {
        var method = url.Contains("/import") ? HttpMethod.Post : HttpMethod.Get;
        await app.Scenario(x =>
        {
            if (method == HttpMethod.Post) x.Post.Text("tag,category\n", "text/csv").ToUrlWithQuery(url); else x.Get.Url(url);
            x.StatusCodeShouldBe(400);
            x.ProblemShouldName(field);
        });
    }

    [Theory]
    [InlineData("""{"tag":"JSON-1","category":"server","room":"R101","position":"high"}""", "position")]
    [InlineData("""{"tag":"JSON-1","category":"server","room":"R101","heightU":1.5}""", "heightU")]
    [InlineData("""{"tag":"JSON-1","category":"server","attributes":{"os":7}}""", "attributes.os")]
    [InlineData("""{"tag":"JSON-1","category":"server","attributes":{"odd key":[]}}""", "attributes.odd key")]
    [InlineData("""{"tag":["JSON-1"]}""", "tag")]
    [InlineData("""not json at all""", "body")]
    public async Task Json_of_the_wrong_shape_names_the_json_field_not_the_parameter(string json, string field)
    {
        var before = await app.EventCountAsync();
        var r = await app.Scenario(x =>
        {
            x.As("engineer").Post.Text(json, "application/json").ToUrl("/api/v1/assets");
            x.StatusCodeShouldBe(400);
            x.ProblemShouldName(field);
        });
        r.Json["errors"]!.AsObject().Select(e => e.Key).Should().NotContain("c", "the C# parameter's name means nothing to a client");
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_missing_body_or_a_body_that_is_not_json_is_named_body()
    {
        await app.Scenario(x => { x.Post.Text("", "application/json").ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(400); x.ProblemShouldName("body"); });
        await app.Scenario(x => { x.Post.Text("tag=X", "text/plain").ToUrl("/api/v1/assets/SRV-1/move"); x.StatusCodeShouldBe(415); x.ProblemShouldName("body"); });
        await app.Scenario(x => { x.Put.Text("""{"category":"server","position":"x"}""", "application/json").ToUrl("/api/v1/assets/SRV-1/details"); x.StatusCodeShouldBe(400); x.ProblemShouldName("position"); });
    }
}

using DcAssets.Testing;
using DcAssets.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>
/// The real host on a fresh PostgreSQL database per test class, with one user and one API token per role.
/// Requests go through Alba's in-memory server (<see cref="Scenario"/>, <see cref="Client"/>); a browser test
/// gets the host on a Kestrel port instead (<see cref="BaseUrl"/>).
/// </summary>
public sealed class DcAssetsApp : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly bool _kestrel;
    private readonly int _loginsPerMinute = 1000;

    public DcAssetsApp() { }

    // xUnit wants one public constructor on a fixture; hosts with Kestrel or a tight login limit come through this one.
    internal DcAssetsApp(bool kestrel, int loginsPerMinute = 1000) => (_kestrel, _loginsPerMinute) = (kestrel, loginsPerMinute);

    // Telemetry tests keep the host's poller (not its trap listener: UDP 10162 belongs to whoever runs ops/run).
    private readonly bool _telemetry;
    internal DcAssetsApp(bool kestrel, int loginsPerMinute, bool telemetry) : this(kestrel, loginsPerMinute) => _telemetry = telemetry;

    /// <summary>
    /// Keeps the node's operations running too: the sealer and projection requests (the async projections run in
    /// every host, as Wolverine's agents; <see cref="ProjectionWait"/> is for a Daemon host).
    /// </summary>
    public bool Daemon { get; init; }

    /// <summary>The seal key of the store (none otherwise, as without DCASSETS_SEAL_KEY).</summary>
    public SealingOptions? Sealing { get; init; }

    /// <summary>The host's clock (the system's otherwise): a test clock moves scheduled work on.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Extra configuration for the host, as if set in appsettings or the environment.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>With Kestrel (for a real browser), the address it listens on.</summary>
    public Uri? BaseUrl { get; private set; }
    private IAlbaHost? _alba;
    private WebApplicationFactory<Program>? _listening;

    /// <summary>The product's store on the host's database, for setting up what a test starts from.</summary>
    public Marten.DocumentStore Marten { get; private set; } = null!;
    public const string Password = "correct horse battery";

    // One token per role for the whole test run, issued to that role's user in every app, so a scenario can
    // name its sender by role alone (ScenarioExtensions.As).
    private static readonly Dictionary<string, (string TokenId, string Token, string SecretHash)> Issued =
        Roles.All.ToDictionary(r => r, _ => Credentials.NewToken());

    public static IReadOnlyDictionary<string, string> Tokens { get; } = Issued.ToDictionary(t => t.Key, t => t.Value.Token);

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        Marten = global::Marten.DocumentStore.For(o => DcAssetsStore.ConfigureMarten(o, _db.ConnectionString));
        await Marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        void Configure(IWebHostBuilder b)
        {
            // As deployed: problem details and error pages must not depend on Development's extras.
            b.UseEnvironment("Production");
            b.UseDefaultServiceProvider(o => { o.ValidateScopes = true; o.ValidateOnBuild = true; });
            b.UseSetting(DcAssetsStore.ConnectionKey, _db.ConnectionString);
            b.UseSetting("Login:AttemptsPerMinute", _loginsPerMinute.ToString());
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Telemetry:TrapPort", "0");
            b.UseSetting("Nodes:HealthCheckSeconds", "0.5");
            b.UseSetting("Nodes:StaleSeconds", "3");
            // Kestrel hosts take any free loopback port; left alone, the host's default URL (port 5000) clashes between classes.
            if (_kestrel) b.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
            foreach (var (key, value) in Settings) b.UseSetting(key, value);
            b.ConfigureTestServices(s =>
            {
                // The test's database, whatever DCASSETS_DB names (the server the test databases are made on).
                s.RemoveAll<DcAssets.Web.DcAssetsDatabase>();
                s.AddSingleton(new DcAssets.Web.DcAssetsDatabase(_db.ConnectionString));
                s.RemoveAll<SealingOptions>();
                if (Sealing is not null) s.AddSingleton(Sealing);
                // Inline projections answer most tests; hosts that read async ones keep the daemon (see WaitForProjectionsAsync).
                s.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>();
                // ... but commands run through Wolverine, whose runtime is itself a hosted service.
                s.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp =>
                    (Microsoft.Extensions.Hosting.IHostedService)sp.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>());
                if (Clock is not null) s.AddSingleton(Clock);
                // Wolverine's runtime runs the async projections as its agents in every host; a Daemon host's
                // operations also serve rebuilds, resumes and seals.
                if (Daemon) DcAssets.Web.Operations.OperationsModule.AddOperations(s);
                if (_telemetry) DcAssets.Web.Telemetry.TelemetryModule.AddTelemetry(s);
            });
        }
        if (_kestrel)
        {
            _listening = new WebApplicationFactory<Program>().WithWebHostBuilder(Configure);
            _listening.UseKestrel(0);
            _listening.StartServer();
            var addresses = _listening.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            BaseUrl = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        }
        else
        {
            _alba = await AlbaHost.For<Program>(Configure);
            // A scenario is the admin's unless it says otherwise (As); As runs after this and replaces it.
            _alba.BeforeEach(c => c.Request.Headers.Authorization = "Bearer " + Tokens[Roles.Admin]);
        }
        // The host's own Marten store checks each document type's tables on first use; done here, so no request of
        // a test (a browser's sign-in with a 30 s budget) pays for it on a busy machine.
        await Services.GetRequiredService<global::Marten.IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var admin = new Actor("test", "test", Roles.Admin, EventSources.Cli);
        foreach (var role in Roles.All)
        {
            await UserStream.CreateAsync(Marten, admin, new CreateUserCommand(role + "1", role, Password), default);
            await UserStream.ChangeAsync(Marten, admin, role + "1", u => ApiTokens.Issue(u, new IssueTokenCommand("tests"), Issued[role]), default);
        }
    }

    private readonly Dictionary<string, Task> _once = [];

    /// <summary>Runs shared setup once per app, however many tests of the class ask for it.</summary>
    public Task OnceAsync(string key, Func<Task> setup)
    {
        lock (_once) return _once.TryGetValue(key, out var t) ? t : _once[key] = setup();
    }

    /// <summary>A client of the host, without credentials; with <paramref name="cookies"/> it keeps them as a browser does.</summary>
    public HttpClient Client(bool cookies = false)
    {
        if (_listening is not null)
            return _listening.CreateClient(new WebApplicationFactoryClientOptions
            {
                HandleCookies = cookies, AllowAutoRedirect = false, BaseAddress = BaseUrl,
            });
        // The in-memory server's handler never follows redirects; a page test reads them.
        HttpMessageHandler handler = _alba!.Server.CreateHandler();
        if (cookies) handler = new CookieJar(handler);
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost") };
    }

    public IServiceProvider Services => _alba?.Services ?? _listening!.Services;

    /// <summary>Sends one request as <paramref name="configure"/> describes and runs every check (Alba's scenario).</summary>
    public Task<IScenarioResult> Scenario(Action<Scenario> configure) =>
        (_alba ?? throw new InvalidOperationException("a browser test's host listens on Kestrel: use Client()"))
        .Scenario(configure);

    public Task<T> ScalarAsync<T>(string sql) => _db.ScalarAsync<T>(sql);
    public Task ExecAsync(string sql) => _db.ExecAsync(sql);

    /// <summary>The host's database, for another node (<see cref="NodeProcess"/>) to join.</summary>
    public string ConnectionString => _db.ConnectionString;

    /// <summary>Events in the history: a refusal appends none.</summary>
    public async Task<long> EventCountAsync() => await _db.ScalarAsync<long>("select count(*) from dcassets.mt_events");

    public async Task DisposeAsync()
    {
        // The host's own stop may stop its hosted services twice at once; the daemon's stop is not re-entrant,
        // so it is stopped here first, alone.
        if (Daemon && (_listening?.Services ?? _alba?.Services) is { } services)
            foreach (var service in services.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
                await service.StopAsync(CancellationToken.None);
        if (_listening is not null) await _listening.DisposeAsync();
        if (_alba is not null) await _alba.DisposeAsync();
        Marten?.Dispose();
        await _db.DisposeAsync();
    }
}

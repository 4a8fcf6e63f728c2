using System.Security.Cryptography;
using System.Text.Json;
using DcAssets.EventStore;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Tests.Telemetry;

public sealed class CredentialSealerTests
{
    private static readonly ConfigurePolling V3 = new("ups-9", "127.0.0.1", "ups-mib", Version: SnmpVersion.V3,
        V3User: new V3UserInput("authPrivUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123"));

    [Fact]
    public void V3_passwords_are_sealed_in_the_event_and_open_only_with_the_key_for_the_same_asset()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var e = ConfigurePollingHandler.Decide(V3, new ProfileCatalog(), new CredentialSealer(key));
        var json = JsonSerializer.Serialize(e, EventStoreOptions.DefaultJson());
        json.Should().NotContain("authpass123").And.NotContain("privpass123");
        new CredentialSealer(key).Open("ups-9", e.V3User!.PrivPasswordSealed!).Should().Be("privpass123");

        FluentActions.Invoking(() => new CredentialSealer(RandomNumberGenerator.GetBytes(32)).Open("ups-9", e.V3User.AuthPasswordSealed!))
            .Should().Throw<CryptographicException>();
        FluentActions.Invoking(() => new CredentialSealer(key).Open("ups-10", e.V3User.AuthPasswordSealed!))
            .Should().Throw<CryptographicException>();
    }

    [Fact]
    public void V3_credentials_without_a_key_are_refused_rather_than_stored_in_clear()
    {
        FluentActions.Invoking(() => ConfigurePollingHandler.Decide(V3, new ProfileCatalog(), null))
            .Should().Throw<InvalidOperationException>().WithMessage("*DCASSETS_CREDENTIAL_KEY*");
    }

    [Fact]
    public void Bad_configurations_are_refused()
    {
        var catalog = new ProfileCatalog();
        FluentActions.Invoking(() => ConfigurePollingHandler.Decide(new ConfigurePolling("ups 1", "127.0.0.1", "ups-mib"), catalog, null)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => ConfigurePollingHandler.Decide(new ConfigurePolling("ups-1", "127.0.0.1", "nope"), catalog, null)).Should().Throw<ArgumentException>().WithMessage("*unknown device profile*");
        FluentActions.Invoking(() => ConfigurePollingHandler.Decide(new ConfigurePolling("ups-1", "127.0.0.1", "ups-mib", IntervalSeconds: 0), catalog, null)).Should().Throw<ArgumentException>();
        ConfigurePollingHandler.Decide(new ConfigurePolling("ups-1", "127.0.0.1", "ups-mib"), catalog, null).IntervalSeconds.Should().Be(60);
    }
}

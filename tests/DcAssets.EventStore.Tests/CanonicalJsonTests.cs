using System.Text;
using DcAssets.EventStore.Hashing;
using DcAssets.EventStore.Tests.Infrastructure;
using Npgsql;

namespace DcAssets.EventStore.Tests;

/// <summary>The hash chain depends on our canonical form surviving a trip through jsonb unchanged.</summary>
public sealed class CanonicalJsonTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    public static TheoryData<string> Awkward => new()
    {
        """{"b":1,"a":2}""",
        """ { "z" : [ 1 , 2.50 , -0.0 , 1E-07 , 1e300 , 12345678901234567890123 ] , "a" : null } """,
        """{"s":"\u00e9\u673a\u623f \"q\" \\ \/ \t\n\u0001","emoji":"\ud83d\ude80"}""",
        """{"dup":1,"dup":2,"x":{"dup":"first","dup":"second"}}""",
        """{"nested":{"deep":[{"b":true,"a":false}],"n":-12.000}}""",
        """[1,"two",{"three":3.0}]""",
        "\"plain\"",
        "-42",
    };

    [Theory]
    [MemberData(nameof(Awkward))]
    public async Task What_we_hash_equals_what_jsonb_gives_back(string json)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select $1::jsonb::text", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = json });
        var back = (string)(await cmd.ExecuteScalarAsync())!;

        var ours = CanonicalJson.Canonicalize(json);
        CanonicalJson.Canonicalize(back).Should().Equal(ours, $"jsonb printed {back}");
        CanonicalJson.Canonicalize(ours).Should().Equal(ours, "the form is a fixed point");
    }

    [Fact]
    public void Different_values_stay_different()
    {
        string C(string j) => Encoding.UTF8.GetString(CanonicalJson.Canonicalize(j));
        C("""{"a":1.5}""").Should().NotBe(C("""{"a":1.6}"""));
        C("""{"a":"1"}""").Should().NotBe(C("""{"a":1}"""));
        C("""{"a":[1,2]}""").Should().NotBe(C("""{"a":[2,1]}"""));
        C("""{"b":2,"a":1}""").Should().Be("""{"a":1,"b":2}""");
        C("""{"dup":1,"dup":2}""").Should().Be("""{"dup":2}""");
    }
}

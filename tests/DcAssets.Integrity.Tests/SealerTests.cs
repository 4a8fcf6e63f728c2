using DcAssets.Integrity.Tests.Infrastructure;
using DcAssets.Testing;

namespace DcAssets.Integrity.Tests;

public sealed class SealerTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_sealer_seals_nothing_past_the_daemon_s_high_water_mark_and_then_everything_up_to_it()
    {
        await using var store = await TestStores.CreateAsync(db);
        var sealer = new Sealer(store, TestStores.Key);
        await using (var s = TestStores.Session(store))
        {
            s.Events.StartStream("sealed-1", new ThingMoved("R1", 1), new ThingMoved("R2", 2));
            await s.SaveChangesAsync();
        }

        (await sealer.SealAsync()).Should().BeNull("no daemon has proven anything safe yet");
        await HighWater.CatchUpAsync(store, db);
        var first = await sealer.SealAsync();
        await using (var s = TestStores.Session(store))
        {
            s.Events.Append("sealed-1", new ThingNamed("x"));
            await s.SaveChangesAsync();
        }
        await HighWater.CatchUpAsync(store, db);
        var second = await sealer.SealAsync();

        first!.No.Should().Be(1);
        first.EventCount.Should().Be(2);
        second!.No.Should().Be(2);
        second.FromSeq.Should().Be(first.UpToSeq + 1);
        second.PreviousSignature.Should().Equal(first.Signature);
        (await sealer.SealAsync()).Should().BeNull("nothing new");
    }

    [Fact]
    public void A_seal_key_shorter_than_32_bytes_is_refused()
    {
        var make = () => new SealKey(new byte[16]);
        make.Should().Throw<ArgumentException>();
    }
}

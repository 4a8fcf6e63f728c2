using DcAssets.Assets;
using DcAssets.Assets.Places;

namespace DcAssets.Tests.Assets;

/// <summary>The asset decisions as pure functions: state and command in, events or a named refusal out.</summary>
public sealed class AssetDecisionTests
{
    private static readonly Place Room = new("room-R1", PlaceKind.Room, "R1", "Room 1", "HQ");
    private static readonly Place Rack = new("rack-A1", PlaceKind.Rack, "A1", "Rack A1", "R1", HeightU: 42);

    private static Asset Racked(string tag, int position, int height = 1) =>
        Asset.From(new AssetRegistered(tag, new AssetDetails(AssetCategory.Server, HeightU: height), new Location("R1", "A1", position), AssetStatus.InService, null, null));

    private static Whereabouts In(params Asset[] occupants) => new(Room, Rack, occupants);

    private static AssetInput Input(string tag = "SRV-1", int? position = 10, int height = 2) => new()
    {
        Tag = tag, Category = "server", Room = "R1", Rack = "A1", Position = position, HeightU = height, Make = " IBM ",
        WarrantyEnd = "2027-01-31",
    };

    [Fact]
    public void Registering_a_valid_asset_gives_one_event_with_clean_fields()
    {
        var e = RegisterAsset.Decide(null, Input(), In());
        e.Tag.Should().Be("SRV-1");
        e.Details.Make.Should().Be("IBM");
        e.Location.Should().Be(new Location("R1", "A1", 10));
        e.Status.Should().Be(AssetStatus.Planned);
        e.WarrantyEnd.Should().Be(new DateOnly(2027, 1, 31));
    }

    [Fact]
    public void Every_bad_field_is_named_at_once()
    {
        var act = () => RegisterAsset.Decide(null, Input("bad tag!") with { Category = "toaster", Status = "broken", PurchaseDate = "2024-02-30" }, In());
        act.Should().Throw<CommandRejected>().Which.Errors.Keys.Should().BeEquivalentTo("tag", "category", "status", "purchaseDate");
    }

    [Theory]
    [InlineData("999.1.1.1")]
    [InlineData("10.1.1")]
    [InlineData("bad host!")]
    [InlineData("fe80::zz")]
    public void A_management_address_that_is_no_ip_address_or_host_name_is_refused(string address)
    {
        var act = () => RegisterAsset.Decide(null, Input() with { ManagementAddress = address }, In());
        act.Should().Throw<CommandRejected>().Which.Refusals["managementAddress"].Single().Code
            .Should().Be("not_an_address");
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("fe80::1")]
    [InlineData("ups-01.dc.example")]
    public void An_ip_address_or_host_name_is_a_management_address(string address) =>
        RegisterAsset.Decide(null, Input() with { ManagementAddress = address }, In()).Details.ManagementAddress
            .Should().Be(address);

    [Fact]
    public void A_warranty_ending_before_the_purchase_date_is_refused()
    {
        var act = () => RegisterAsset.Decide(null, Input() with { PurchaseDate = "2027-06-01" }, In());
        act.Should().Throw<CommandRejected>().Which.Refusals["warrantyEnd"].Single().Code
            .Should().Be("warranty_before_purchase");
    }

    [Fact]
    public void A_single_unit_outside_the_rack_is_named_as_one_unit_not_a_range()
    {
        var act = () => RegisterAsset.Decide(null, Input(position: 45, height: 1), In());
        act.Should().Throw<CommandRejected>().Which.Errors["position"].Single().Should().StartWith("U45 does not fit");
    }

    [Fact]
    public void Units_taken_by_another_asset_are_refused_naming_it()
    {
        var act = () => RegisterAsset.Decide(null, Input(position: 9, height: 2), In(Racked("OTHER-1", 10)));
        act.Should().Throw<CommandRejected>().Which.Errors["position"].Single().Should().Contain("U10").And.Contain("OTHER-1");
    }

    [Fact]
    public void A_retired_occupant_does_not_block_and_an_asset_may_keep_its_own_units()
    {
        var retired = Racked("OLD-1", 10) with { Status = AssetStatus.Retired };
        RegisterAsset.Decide(null, Input(position: 10), In(retired)).Location!.Position.Should().Be(10);
        var self = Racked("SRV-1", 10, 2);
        MoveAsset.Decide(self, new MoveAssetCommand("R1", "A1", 11), In(self))!.To!.Position.Should().Be(11);
    }

    [Fact]
    public void An_asset_must_fit_inside_the_rack_and_a_rack_must_be_in_the_room()
    {
        var act = () => RegisterAsset.Decide(null, Input(position: 42, height: 2), In());
        act.Should().Throw<CommandRejected>().Which.Errors.Should().ContainKey("position");
        var elsewhere = new Whereabouts(Room, Rack with { Parent = "R2" }, []);
        var act2 = () => RegisterAsset.Decide(null, Input(), elsewhere);
        act2.Should().Throw<CommandRejected>().Which.Errors.Should().ContainKey("rack");
    }

    [Fact]
    public void A_known_tag_is_a_conflict()
    {
        var act = () => RegisterAsset.Decide(Racked("SRV-1", 1), Input(), In());
        act.Should().Throw<CommandRejected>().Which.Kind.Should().Be(RejectionKind.Conflict);
    }

    [Fact]
    public void Moving_to_where_it_already_is_and_an_unchanged_correction_decide_nothing()
    {
        var a = Racked("SRV-1", 10);
        MoveAsset.Decide(a, new MoveAssetCommand("R1", "A1", 10), In(a)).Should().BeNull();
        CorrectAssetDetails.Decide(a, new AssetInput { Category = "server" }, In(a)).Should().BeNull();
        CorrectAssetDetails.Decide(a, new AssetInput { Category = "storage", Serial = "X1" }, In(a))!.Fields.Should().BeEquivalentTo("category", "serial");
    }

    [Fact]
    public void Status_changes_exclude_retiring_and_retired_assets_take_no_changes()
    {
        var a = Racked("SRV-1", 10);
        ChangeAssetStatus.Decide(a, new ChangeAssetStatusCommand("faulty", "PSU dead"))!.To.Should().Be(AssetStatus.Faulty);
        var retire = () => ChangeAssetStatus.Decide(a, new ChangeAssetStatusCommand("retired", null));
        retire.Should().Throw<CommandRejected>().Which.Errors.Should().ContainKey("status");
        var gone = AssetFold.Next(a, RetireAsset.Decide(a, new RetireAssetCommand("replaced")))!;
        gone.Units().Should().Equal(10);
        var act = () => RecordWarranty.Decide(gone, new RecordWarrantyCommand("2030-01-01", null));
        act.Should().Throw<CommandRejected>().Which.Kind.Should().Be(RejectionKind.Conflict);
    }

    [Fact]
    public void Reconciling_a_row_gives_one_event_per_kind_of_change_and_none_for_an_unchanged_row()
    {
        var a = Racked("SRV-1", 10, 2) with { Details = new AssetDetails(AssetCategory.Server, "IBM", HeightU: 2) };
        var same = new AssetInput { Tag = "SRV-1", Category = "server", Make = "IBM", HeightU = 2, Room = "R1", Rack = "A1", Position = 10, Status = "in_service" };
        ReconcileAsset.Decide(a, same, In(a)).Should().BeEmpty();
        var changed = same with { Make = "Lenovo", Position = 20, Status = "maintenance", WarrantyEnd = "2028-01-01" };
        ReconcileAsset.Decide(a, changed, In(a)).Select(e => e.GetType()).Should()
            .Equal(typeof(AssetDetailsCorrected), typeof(AssetMoved), typeof(AssetStatusChanged), typeof(WarrantyRecorded));
    }

    [Fact]
    public void New_places_check_code_parent_and_height()
    {
        var act = () => AddPlace.Decide(new AddRack("A 1", null, "R9", 0, null, null, -5), null);
        act.Should().Throw<CommandRejected>().Which.Errors.Keys.Should().BeEquivalentTo("code", "room", "heightU", "powerBudgetW");
        AddPlace.Decide(new AddRack("A2", null, "R1", 42, "A", 2, 5000), Room).Name.Should().Be("A2");
    }
}

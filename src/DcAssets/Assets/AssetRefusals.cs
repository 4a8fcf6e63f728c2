namespace DcAssets.Assets;

/// <summary>
/// Why the register refuses a command, each with a stable code (pages say it from "Refusal.{code}" in the
/// reader's language) and its English text for the API and the command line.
/// </summary>
public static class AssetRefusals
{
    public static Refusal TagRule() => Refusal.Of("tag_rule", "a tag is {0}", AssetVocabulary.TagRule);
    public static Refusal CodeRule() => Refusal.Of("code_rule", "a code is {0}", AssetVocabulary.TagRule);
    public static Refusal NotACategory(string? text, bool withChoices = true) => withChoices
        ? Refusal.Of("not_a_category", "'{0}' is not a category; use one of {1}", text,
            string.Join(", ", AssetVocabulary.Names<AssetCategory>()))
        : Refusal.Of("not_a_category_short", "'{0}' is not a category", text);
    public static Refusal NotAStatus(string? text, bool withChoices = true) => withChoices
        ? Refusal.Of("not_a_status", "'{0}' is not a status; use one of {1}", text,
            string.Join(", ", AssetVocabulary.Names<AssetStatus>()))
        : Refusal.Of("not_a_status_short", "'{0}' is not a status", text);
    public static Refusal HeightRange(int min, int max) =>
        Refusal.Of("height_range", "height must be {0}-{1} U", min, max);
    public static Refusal NotADate(string? text) => Refusal.Of("not_a_date", "'{0}' is not a date (yyyy-MM-dd)", text);
    public static Refusal NotAnAddress(string text) =>
        Refusal.Of("not_an_address", "'{0}' is not an IP address or host name", text);
    public static Refusal WarrantyBeforePurchase(DateOnly purchased) =>
        Refusal.Of("warranty_before_purchase", "ends before the purchase date {0}", purchased.ToString("yyyy-MM-dd"));
    public static Refusal TooLong(int max) => Refusal.Of("too_long", "at most {0} characters", max);
    public static Refusal Required() => Refusal.Of("required", "required");
    public static Refusal RoomNeeded() => Refusal.Of("room_needed", "a rack or U position needs a room");
    public static Refusal RackNeeded() => Refusal.Of("rack_needed", "a U position needs a rack");
    public static Refusal NoRoom(string? code) => Refusal.Of("no_room", "no room '{0}'", code);
    public static Refusal NoRack(string? code) => Refusal.Of("no_rack", "no rack '{0}'", code);
    public static Refusal NoSite(string? code) => Refusal.Of("no_site", "no site '{0}'", code);
    public static Refusal RackInOtherRoom(string rack, string? inRoom, string room) =>
        Refusal.Of("rack_in_other_room", "rack '{0}' is in room '{1}', not '{2}'", rack, inRoom, room);
    public static Refusal DoesNotFit(int from, int to, string rack, int? height) => from == to
        ? Refusal.Of("unit_does_not_fit", "U{0} does not fit rack '{1}' of {2} U", from, rack, height)
        : Refusal.Of("does_not_fit", "U{0}-U{1} does not fit rack '{2}' of {3} U", from, to, rack, height);
    public static Refusal Occupied(int from, int to, string rack, string occupant) => from == to
        ? Refusal.Of("unit_occupied", "U{0} of rack '{1}' is occupied by {2}", from, rack, occupant)
        : Refusal.Of("units_occupied", "U{0}-U{1} of rack '{2}' is occupied by {3}", from, to, rack, occupant);
    public static Refusal NewCannotBeRetired() => Refusal.Of("new_retired", "a new asset cannot be retired");
    public static Refusal TagTaken(string tag) => Refusal.Of("tag_taken", "tag '{0}' is already registered", tag);
    public static Refusal NoAsset(string tag) => Refusal.Of("no_asset", "no asset '{0}'", tag);
    public static Refusal RackBusy(string racks) =>
        Refusal.Of("rack_busy", "rack {0} is held by another change for longer than 30 s; try again", racks);
    public static Refusal ChangedMeanwhile(string tag) =>
        Refusal.Of("changed_meanwhile", "{0} was changed by someone else meanwhile; reload and try again", tag);
    public static Refusal Retired(string tag) =>
        Refusal.Of("retired", "{0} is retired; its history is kept but it takes no changes", tag);
    public static Refusal RetiredRow(string tag) =>
        Refusal.Of("retired_row", "{0} is retired; its row must say retired", tag);
    public static Refusal RetireInstead() =>
        Refusal.Of("retire_instead", "retire the asset instead: retiring is final and has its own reason");
    public static Refusal SayWhyRetired() => Refusal.Of("reason_required", "say why the asset is retired");
    public static Refusal WarrantyDaysRange() => Refusal.Of("warranty_days_range", "0-36500 days");
    public static Refusal PagesStartAtOne() => Refusal.Of("page_from_one", "pages start at 1");
    public static Refusal PageSizeRange() => Refusal.Of("page_size_range", "1-1000 rows per page");
    public static Refusal PowerBudgetNegative() => Refusal.Of("power_negative", "the power budget cannot be negative");
    public static Refusal PlaceExists(string kind, string code) =>
        Refusal.Of("place_exists", "{0} '{1}' already exists", kind, code);
}

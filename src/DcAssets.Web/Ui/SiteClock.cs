using System.Globalization;

namespace DcAssets.Web.Ui;

/// <summary>
/// The machine room's clock: every time a page, chart or export shows is in the site's time zone (Site:TimeZone,
/// default Asia/Shanghai) and one format, <see cref="Format"/> (24 h); the API stays ISO 8601 with an offset. Times
/// typed into a page (as-of, export ranges) are read as the site's wall clock too, whatever the server's zone.
/// </summary>
public sealed class SiteClock(TimeZoneInfo zone)
{
    public const string Format = "yyyy-MM-dd HH:mm:ss", DateFormat = "yyyy-MM-dd";

    /// <summary>
    /// A datetime-local input's value, to the minute: with seconds it would become the base of the input's 60 s
    /// steps and every whole minute typed after it would be refused.
    /// </summary>
    public const string InputFormat = "yyyy-MM-dd'T'HH:mm";
    public const string ZoneKey = "Site:TimeZone", DefaultZone = "Asia/Shanghai";

    public TimeZoneInfo Zone => zone;

    /// <summary>A moment as the site's wall clock reads it ("" for none).</summary>
    public string Show(DateTimeOffset? t) =>
        t is null ? "" : TimeZoneInfo.ConvertTime(t.Value, zone).ToString(Format, CultureInfo.InvariantCulture);

    public string ShowDate(DateTimeOffset? t) =>
        t is null ? "" : TimeZoneInfo.ConvertTime(t.Value, zone).ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>The value of a datetime-local input showing <paramref name="t"/> on the site's clock.</summary>
    public string Input(DateTimeOffset? t) =>
        t is null ? "" : TimeZoneInfo.ConvertTime(t.Value, zone).ToString(InputFormat, CultureInfo.InvariantCulture);

    /// <summary>A wall-clock time typed on a page (no zone), read on the site's clock.</summary>
    public DateTimeOffset Read(DateTime wallClock)
    {
        if (wallClock.Kind == DateTimeKind.Utc) return new DateTimeOffset(wallClock);
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public DateTimeOffset? Read(DateTime? wallClock) => wallClock is { } t ? Read(t) : null;

    /// <summary>The site's offset now, as "+08:00" (for the scripts that turn a typed time into an instant).</summary>
    public string OffsetNow(DateTimeOffset now)
    {
        var o = zone.GetUtcOffset(now);
        return (o < TimeSpan.Zero ? "-" : "+") + o.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>From configuration; a zone the machine does not know stops the host naming the key.</summary>
    public static SiteClock From(IConfiguration config)
    {
        var id = config[ZoneKey] is { Length: > 0 } z ? z : DefaultZone;
        try { return new SiteClock(TimeZoneInfo.FindSystemTimeZoneById(id)); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"configuration {ZoneKey} = '{id}' is not a time zone this machine " +
                "knows (an IANA name such as Asia/Shanghai)", e);
        }
    }
}

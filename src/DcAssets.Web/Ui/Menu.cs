using DcAssets.Web.Identity;

namespace DcAssets.Web.Ui;

/// <summary>
/// The pages of the menu, each with the policy that lets a reader in: the layout shows a reader only the ones their
/// roles may use. A slice adds its pages here.
/// </summary>
public static class Menu
{
    public sealed record Entry(string Href, string Text, string Policy, string Group);

    public const string Daily = "daily", Security = "security", Admin = "admin";

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("/", "Nav.Dashboard", Policies.Read, Daily),
        new("/alarms", "Nav.Alarms", Policies.Read, Daily),
        new("/telemetry", "Nav.Telemetry", Policies.Read, Daily),
        new("/inventory", "Nav.Inventory", Policies.Read, Daily),
        new("/racks", "Nav.Racks", Policies.Read, Daily),
        new("/assets/register", "Nav.Register", Policies.EditAssets, Daily),
        new("/assets/import", "Nav.Import", Policies.EditAssets, Daily),
        new("/security/sign-ins", "Nav.SignIns", Policies.Audit, Security),
        new("/security/verify", "Nav.Verify", Policies.Audit, Security),
        new("/alarms/history", "Nav.AlarmHistory", Policies.Read, Security),
        new("/admin/users", "Nav.Users", Policies.ManagePeople, Admin),
        new("/admin/projections", "Nav.Projections", Policies.Audit, Admin),
    ];
}

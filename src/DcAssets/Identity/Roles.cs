namespace DcAssets.Identity;

/// <summary>
/// The four roles. Engineers keep the register; security reads who did what; managers read; admins run people.
/// </summary>
public static class Roles
{
    public const string Engineer = "engineer", Security = "security", Manager = "manager", Admin = "admin";
    public static readonly string[] All = [Engineer, Security, Manager, Admin];

    public static bool IsKnown(string? role) => All.Contains(role);
}

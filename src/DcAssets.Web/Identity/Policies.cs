using DcAssets.Identity;

namespace DcAssets.Web.Identity;

/// <summary>
/// The authorization policies. Every endpoint names one of these or allows anonymous callers explicitly.
/// </summary>
public static class Policies
{
    public const string Read = "read", EditAssets = "edit-assets", ManagePeople = "manage-people", Audit = "audit",
    Operate = "operate", WorkFaults = "work-faults", ManageFaults = "manage-faults";

    /// <summary>Which roles each policy lets in; the role-matrix test reads this same table.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedRoles = new Dictionary<string, string[]>
    {
        [Read] = Roles.All,
        [EditAssets] = [Roles.Engineer, Roles.Admin],
        [ManagePeople] = [Roles.Admin],
        [Audit] = [Roles.Security, Roles.Admin],
        // Rebuilding read models is an operator's act: admins only.
        [Operate] = [Roles.Admin],
        // Engineers open and work faults; managers also classify, close and reopen them; security reads.
        [WorkFaults] = [Roles.Engineer, Roles.Manager, Roles.Admin],
        [ManageFaults] = [Roles.Manager, Roles.Admin],
    };
}

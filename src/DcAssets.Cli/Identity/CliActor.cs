
namespace DcAssets.Cli.Identity;

/// <summary>
/// Who the CLI acts as: the operating-system account at the console, as an administrator (it holds the database
/// credentials).
/// </summary>
internal static class CliActor
{
    public static Actor Current => new("cli:" + Environment.UserName, Environment.UserName, "admin", EventSources.Cli)
    {
        ClientAddress = Environment.MachineName,
    };
}

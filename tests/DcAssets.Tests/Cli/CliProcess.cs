using System.Diagnostics;
using DcAssets.Testing;

namespace DcAssets.Tests.Cli;

/// <summary>Runs the real dcassets command as a separate process, as an operator would.</summary>
public static class CliProcess
{
    private static readonly Lazy<string> Dll = new(() =>
    {
        var root = TestDatabase.RepoRoot();
        var dll = Path.Combine(root, "src", "DcAssets.Cli", "bin", "Debug", "net10.0", "DcAssets.Cli.dll");
        if (!File.Exists(dll)) Start("dotnet", $"build \"{Path.Combine(root, "src", "DcAssets.Cli")}\" -v q -nologo", new());
        return dll;
    });

    public static (int Exit, string Out, string Err) Run(string database, params string[] args) =>
        Start("dotnet", $"\"{Dll.Value}\" {string.Join(' ', args)}", new()
        {
            ["DCASSETS_DB"] = database,
            ["DCASSETS_SEAL_KEY"] = SealKey,
            ["DCASSETS_SEAL_KEY_FILE"] = "",
        });

    public const string SealKey = "the CLI tests' seal key, long enough to sign with";

    private static (int, string, string) Start(string file, string args, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) p.Kill(true);
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

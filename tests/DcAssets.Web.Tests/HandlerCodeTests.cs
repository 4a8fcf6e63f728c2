using System.Diagnostics;
using DcAssets.Testing;

namespace DcAssets.Web.Tests;

/// <summary>
/// The host starts on handler code generated ahead of time (src/DcAssets.Web/Internal/Generated): a handler changed
/// without regenerating it would be compiled at every start instead, seconds slower.
/// </summary>
public sealed class HandlerCodeTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public void The_pre_generated_handler_code_is_what_the_handlers_generate_now()
    {
        var output = Directory.CreateTempSubdirectory("dcassets-codegen-");
        try
        {
            var psi = new ProcessStartInfo("dotnet", $"\"{typeof(Program).Assembly.Location}\" codegen write")
            {
                WorkingDirectory = output.FullName, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            psi.Environment["DCASSETS_DB"] = db.ConnectionString;
            using (var p = Process.Start(psi)!)
            {
                var err = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                p.ExitCode.Should().Be(0, err.Result);
            }
            var committed = Path.Combine(TestDatabase.RepoRoot(), "src", "DcAssets.Web", "Internal", "Generated");
            Files(Path.Combine(output.FullName, "Internal", "Generated")).Should().Equal(Files(committed),
                "regenerate with: cd src/DcAssets.Web && DCASSETS_DB=$(../../ops/pg url) dotnet run -- codegen write");
        }
        finally { output.Delete(recursive: true); }
    }

    private static List<(string Name, string Text)> Files(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(dir, f), File.ReadAllText(f).ReplaceLineEndings("\n")))
            .OrderBy(f => f.Item1, StringComparer.Ordinal).ToList();
}

using System.Diagnostics;
using DcAssets.Testing;

namespace DcAssets.Tests.Cli;

/// <summary><c>dcassets users add</c>, <c>users set-password</c>, <c>tokens issue</c> and <c>assets import</c> as an operator runs them.</summary>
public sealed class IdentityCommandTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_first_admin_is_added_with_a_password_from_stdin_and_gets_a_token()
    {
        var added = Run("long enough password\n", "users", "add", "Root.Admin", "--role", "admin", "--password-stdin");
        added.Exit.Should().Be(0, added.Err);
        added.Out.Should().Contain("user 'root.admin' created with role admin");

        var again = Run("long enough password\n", "users", "add", "root.admin", "--role", "admin", "--password-stdin");
        again.Exit.Should().NotBe(0);
        again.Err.Should().Contain("already exists");

        var token = Run("", "tokens", "issue", "root.admin", "--label", "backup");
        token.Exit.Should().Be(0, token.Err);
        token.Out.Trim().Should().MatchRegex("^dca_[0-9a-f]{12}_[A-Za-z0-9.-]{20,}$");
        (await db.ScalarAsync<long>("select count(*) from dcassets.mt_events where type = 'api_token_issued' and headers->>'source' = 'cli'")).Should().Be(1);
        (await db.ScalarAsync<long>($"select count(*) from dcassets.mt_events where data::text like '%{token.Out.Trim().Split('_')[2]}%'")).Should().Be(0, "only the hash is stored");
    }

    [Fact]
    public void Bad_input_prints_one_line_and_exits_non_zero()
    {
        var bad = Run("short\n", "users", "add", "x", "--role", "janitor", "--password-stdin");
        bad.Exit.Should().Be(1);
        bad.Err.Should().Contain("error: role: 'janitor' is not a role").And.Contain("password: at least 10 characters").And.NotContain("   at ");
        var nobody = Run("", "tokens", "issue", "nobody");
        nobody.Exit.Should().Be(1);
        nobody.Err.Should().Contain("no user 'nobody'");
    }

    [Fact]
    public void The_demo_files_import_cleanly_and_a_second_run_changes_nothing()
    {
        var root = TestDatabase.RepoRoot();
        var file = Path.Combine(root, "ops", "demo", "assets.csv");
        var rows = File.ReadLines(file).Skip(1).Count(l => l.Trim().Length > 0);
        Run("", "assets", "places", Path.Combine(root, "ops", "demo", "places.csv")).Exit.Should().Be(0);
        var dry = Run("", "assets", "import", file, "--dry-run");
        dry.Exit.Should().Be(0, dry.Err);
        dry.Out.Should().Contain($"dry run: would register {rows}");
        var real = Run("", "assets", "import", file);
        real.Out.Should().Contain($"registered {rows}, changed 0, unchanged 0");
        var rerun = Run("", "assets", "import", file);
        rerun.Out.Should().Contain($"registered 0, changed 0, unchanged {rows} (0 events)");
    }

    [Fact]
    public async Task A_first_load_only_option_leaves_a_register_and_people_as_others_left_them()
    {
        // What ops/run does on every start: load only into an empty register, create demo users only when missing.
        var other = new TestDatabase();
        await other.InitializeAsync();
        try
        {
            var root = TestDatabase.RepoRoot();
            var file = Path.Combine(root, "ops", "demo", "assets.csv");
            Run(other, "", "assets", "places", Path.Combine(root, "ops", "demo", "places.csv")).Exit.Should().Be(0);
            Run(other, "", "assets", "import", "--if-empty", file).Out.Should().Contain("registered ");
            // Someone retires a demo asset in the UI; the demo file still says in_service, which a plain import refuses.
            using (var store = await ProductStore.OpenAsync(other.ConnectionString))
                await DcAssets.Assets.AssetStream.ChangeAsync(store, new Actor("ui", "engineer1", "engineer", EventSources.Ui), "FW-01", null, null,
                    (a, _) => DcAssets.Assets.RetireAsset.Decide(a, new DcAssets.Assets.RetireAssetCommand("replaced")), default);
            var demo = await other.ScalarAsync<long>("select count(*) from dcassets.mt_events");
            Run(other, "", "assets", "import", file).Exit.Should().Be(1, "a plain import would try to undo the retirement");
            var load = Run(other, "", "assets", "import", "--if-empty", file);
            load.Exit.Should().Be(0, load.Err);
            load.Out.Should().Contain("already holds").And.Contain("nothing imported");
            (await other.ScalarAsync<long>("select count(*) from dcassets.mt_events")).Should().Be(demo);

            Run(other, "first password 1\n", "users", "add", "demo-x", "--role", "engineer", "--password-stdin", "--if-missing").Out.Should().Contain("created");
            var again = Run(other, "other password 2\n", "users", "add", "demo-x", "--role", "admin", "--password-stdin", "--if-missing");
            again.Exit.Should().Be(0, again.Err);
            again.Out.Should().Contain("already exists; left as is");
            (await other.ScalarAsync<long>("select count(*) from dcassets.mt_events where stream_id = 'user-demo-x'")).Should().Be(1, "no password or role change appended");
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    private (int Exit, string Out, string Err) Run(string stdin, params string[] args) => Run(db, stdin, args);

    private static (int Exit, string Out, string Err) Run(TestDatabase db, string stdin, params string[] args)
    {
        var dll = Path.Combine(TestDatabase.RepoRoot(), "src", "DcAssets.Cli", "bin", "Debug", "net10.0", "DcAssets.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DCASSETS_DB"] = db.ConnectionString;
        psi.Environment["DCASSETS_SEAL_KEY"] = CliProcess.SealKey;
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) p.Kill(true);
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

using System.Diagnostics;
using System.Text;

namespace DcAssets.Tests.Ops;

/// <summary>One of the ops/ scripts run as a person would, from a shell, with its output kept.</summary>
public sealed class OpsScript : IDisposable
{
    private readonly StringBuilder _output = new();

    public Process Process { get; }

    private OpsScript(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// Starts <paramref name="script"/> in a process group of its own (setsid), so a test can send it the
    /// Ctrl-C a terminal sends: SIGINT to every process in the group.
    /// </summary>
    public static OpsScript Start(string script, IDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return new OpsScript(Process.Start(psi)!);
    }

    /// <summary>Runs <paramref name="script"/> to its end: exit code and everything it printed.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(
        string script, IDictionary<string, string> env, params string[] args)
    {
        using var s = Start(script, env, args);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await s.Process.WaitForExitAsync(cts.Token);
        return (s.Process.ExitCode, s.Output);
    }

    public void Interrupt() => Signal("INT", $"-{Process.Id}");

    public static void Signal(string signal, string target)
    {
        using var kill = Process.Start("kill", ["-" + signal, "--", target])!;
        kill.WaitForExit();
    }

    /// <summary>Alive means running: a zombie nobody reaped yet has stopped.</summary>
    public static bool IsRunning(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return false;
        try
        {
            return !File.ReadAllLines(status)
                .Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z'));
        }
        catch (IOException) { return false; }
    }

    public void Dispose()
    {
        if (!Process.HasExited) Signal("KILL", $"-{Process.Id}");
        Process.Dispose();
    }
}

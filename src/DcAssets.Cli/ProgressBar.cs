namespace DcAssets.Cli;

/// <summary>A one-line progress bar on standard error; plain lines every 10 % when not on a terminal.</summary>
internal sealed class ProgressBar(string label) : IProgress<(long Position, long Target)>
{
    private int _lastDecile = -1;

    public void Report((long Position, long Target) value)
    {
        var fraction = value.Target <= 0 ? 1.0 : Math.Clamp(value.Position / (double)value.Target, 0, 1);
        if (Console.IsErrorRedirected)
        {
            var decile = (int)(fraction * 10);
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            Console.Error.WriteLine($"{label}: {fraction:P0} ({value.Position}/{value.Target})");
            return;
        }
        var filled = (int)(fraction * 30);
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} " +
            $"{value.Position}/{value.Target}   ");
    }

    public void Done(string message)
    {
        if (!Console.IsErrorRedirected) Console.Error.WriteLine();
        Console.WriteLine(message);
    }
}

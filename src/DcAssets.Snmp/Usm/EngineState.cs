using System.Diagnostics;

namespace DcAssets.Snmp.Usm;

/// <summary>
/// What we know of one authoritative engine: ID, boots and time as of a local instant
/// (RFC 3414 §2.3). Time is estimated as stored time plus seconds elapsed since.
/// </summary>
public sealed class EngineState(byte[] engineId, int boots, int time)
{
    private readonly Lock _lock = new();
    private int _boots = boots;
    private int _time = time;
    private long _stamp = Stopwatch.GetTimestamp();

    public byte[] EngineId { get; } = engineId;

    public (int Boots, int Time) Estimate()
    {
        lock (_lock)
        {
            var elapsed = (long)Stopwatch.GetElapsedTime(_stamp).TotalSeconds;
            return (_boots, (int)Math.Min(int.MaxValue, _time + elapsed));
        }
    }

    /// <summary>
    /// RFC 3414 §3.2 step 7b for the non-authoritative side: an authentic message is still refused when
    /// its boots went back or its time is more than 150 s behind our estimate (a replay).
    /// </summary>
    public bool IsOutsideWindow(int boots, int time)
    {
        var (b, t) = Estimate();
        return boots == int.MaxValue || boots < b || (boots == b && time < t - 150);
    }

    /// <summary>Adopts (boots, time) from an authentic message when newer than our estimate.</summary>
    public void Update(int boots, int time, bool force = false)
    {
        lock (_lock)
        {
            var (b, t) = (_boots, _time + (long)Stopwatch.GetElapsedTime(_stamp).TotalSeconds);
            if (force || boots > b || (boots == b && time > t))
            {
                _boots = boots; _time = time; _stamp = Stopwatch.GetTimestamp();
            }
        }
    }
}

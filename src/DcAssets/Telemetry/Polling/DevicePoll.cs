using System.Diagnostics;
using DcAssets.Snmp;
using DcAssets.Telemetry.Readings;

namespace DcAssets.Telemetry.Polling;

/// <summary>What one poll gave: readings (with the agent's alarm table) or the reason it failed.</summary>
public sealed record PollOutcome(DateTimeOffset PolledAt, double LatencyMs, IReadOnlyList<Reading>? Readings,
    IReadOnlyList<string>? AgentAlarms,
    PollFailure? Failure = null, string? Detail = null)
{
    public bool Succeeded => Failure is null;

    /// <summary>
    /// Values the agent gave that could not be recorded, each saying which and why (the others were recorded).
    /// </summary>
    public IReadOnlyList<string>? Skipped { get; init; }
}

/// <summary>
/// One SNMP round trip per device: a single GET of every profile OID, plus the alarm-table walk when the agent reports
/// alarms.
/// </summary>
public static class DevicePoll
{
    public static async Task<PollOutcome> RunAsync(SnmpClient client, PollTarget target, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var defs = target.Profile.Readings;
        try
        {
            var vbs = await client.GetAsync(target.Snmp, target.Oids, ct).ConfigureAwait(false);
            var readings = new List<Reading>(defs.Count);
            List<string>? skipped = null;
            for (var i = 0; i < defs.Count && i < vbs.Count; i++)
            {
                // Absent lines (a single-phase unit asked for line 3) come back as noSuchInstance: skipped, not failed.
                var v = vbs[i].Value;
                if (!v.IsInteger) continue;
                // A Counter64 past 2^63 cannot be stored raw: that one value is left out and named, where a clamped
                // value would lie; the device answered, so the rest of the poll stands.
                if (v.Type == SnmpType.Counter64 && v.AsUInt64() > long.MaxValue)
                {
                    (skipped ??= [])
                        .Add($"{defs[i].Name} ({defs[i].Oid}) = {v.AsUInt64()} is beyond a signed 64-bit raw value");
                    continue;
                }
                readings.Add(new Reading(defs[i].Name, v.AsInt64(), defs[i].Scale, defs[i].Unit));
            }
            if (readings.Count == 0 && skipped is null)
                return Failed(started, PollFailure.NoSuchObject,
                    $"the agent has none of the {target.Profile.Name} objects");
            var alarms = await AlarmTableAsync(client, target, readings, ct).ConfigureAwait(false);
            return new PollOutcome(DateTimeOffset.UtcNow, Elapsed(started), readings, alarms) { Skipped = skipped };
        }
        catch (SnmpTimeoutException e) { return Failed(started, PollFailure.Timeout, e.Message); }
        catch (SnmpSecurityException e) { return Failed(started, PollFailure.AuthFailure, e.Message); }
        catch (SnmpErrorException e) when (e.Status is SnmpErrorStatus.NoSuchName or SnmpErrorStatus.AuthorizationError)
        {
            return Failed(started,
                e.Status == SnmpErrorStatus.NoSuchName ? PollFailure.NoSuchObject : PollFailure.AuthFailure, e.Message);
        }
        catch (Exception e) when (e is SnmpException or System.Net.Sockets.SocketException or ArgumentException)
        {
            return Failed(started, PollFailure.Error, e.Message);
        }
    }

    private static async Task<IReadOnlyList<string>?> AlarmTableAsync(SnmpClient client, PollTarget target,
        List<Reading> readings, CancellationToken ct)
    {
        if (target.Profile.AlarmTable is not { } table || target.Profile.AlarmCount is not { } count) return null;
        if (readings.FirstOrDefault(r => r.Name == count) is not { Raw: > 0 }) return [];
        var list = new List<string>();
        await foreach (var vb in client.WalkAsync(target.Snmp, Oid.Parse(table), 20, ct).ConfigureAwait(false))
            if (vb.Value.Type == SnmpType.ObjectIdentifier) list.Add(vb.Value.AsOid().ToString());
        return list;
    }

    private static PollOutcome Failed(long started, PollFailure f, string detail) =>
        new(DateTimeOffset.UtcNow, Elapsed(started), null, null, f, detail);

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
}

using System.Runtime.CompilerServices;

namespace DcAssets.Snmp;

public sealed partial class SnmpClient
{
    public Task<IReadOnlyList<VarBind>> GetAsync(SnmpTarget target, IEnumerable<Oid> oids,
        CancellationToken ct = default) =>
        CheckedAsync(target,
            new SnmpPdu { Type = PduType.GetRequest, VarBinds = oids.Select(o => new VarBind(o)).ToList() }, ct);

    public Task<IReadOnlyList<VarBind>> GetNextAsync(SnmpTarget target, IEnumerable<Oid> oids,
        CancellationToken ct = default) =>
        CheckedAsync(target,
            new SnmpPdu { Type = PduType.GetNextRequest, VarBinds = oids.Select(o => new VarBind(o)).ToList() }, ct);

    public Task<IReadOnlyList<VarBind>> GetBulkAsync(SnmpTarget target, int nonRepeaters, int maxRepetitions,
        IEnumerable<Oid> oids, CancellationToken ct = default)
    {
        if (target.Version == SnmpVersion.V1) throw new NotSupportedException("GetBulk does not exist in SNMPv1");
        return CheckedAsync(target, new SnmpPdu
        {
            Type = PduType.GetBulkRequest, NonRepeaters = nonRepeaters, MaxRepetitions = maxRepetitions,
            VarBinds = oids.Select(o => new VarBind(o)).ToList(),
        }, ct);
    }

    public Task<IReadOnlyList<VarBind>> SetAsync(SnmpTarget target, IEnumerable<VarBind> varBinds,
        CancellationToken ct = default) =>
        CheckedAsync(target, new SnmpPdu { Type = PduType.SetRequest, VarBinds = varBinds.ToList() }, ct);

    private async Task<IReadOnlyList<VarBind>> CheckedAsync(SnmpTarget target, SnmpPdu pdu, CancellationToken ct)
    {
        var resp = await RequestAsync(target, pdu, ct).ConfigureAwait(false);
        if (resp.Type != PduType.Response) throw new SnmpException($"expected a Response, got {resp.Type}");
        if (resp.ErrorStatus != 0)
            throw new SnmpErrorException((SnmpErrorStatus)resp.ErrorStatus, resp.ErrorIndex, resp);
        return resp.VarBinds;
    }

    /// <summary>
    /// Every instance under <paramref name="root"/> in order: GetBulk for v2c/v3, GetNext for v1. Stops at
    /// the end of the subtree or endOfMibView; a non-increasing OID (an agent loop) throws
    /// <see cref="SnmpWalkLoopException"/> after the good part of the batch was yielded. Like
    /// net-snmp's snmpwalk, an empty walk ends with a Get of the root itself. A <paramref name="maxRepetitions"/>
    /// of 0 forces GetNext (what snmpwalk does) for any version. The next request is sent before the
    /// current batch is handed out, so the agent works while the caller consumes.
    /// </summary>
    public async IAsyncEnumerable<VarBind> WalkAsync(SnmpTarget target, Oid root, int maxRepetitions = 10,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var getNext = target.Version == SnmpVersion.V1 || maxRepetitions <= 0;
        Task<IReadOnlyList<VarBind>> Fetch(Oid from) =>
            getNext ? GetNextAsync(target, [from], ct) : GetBulkAsync(target, 0, maxRepetitions, [from], ct);

        var current = root;
        var any = false;
        Task<IReadOnlyList<VarBind>>? next = Fetch(root);
        try
        {
            while (next is not null)
            {
                IReadOnlyList<VarBind> batch;
                try { batch = await next.ConfigureAwait(false); }
                catch (SnmpErrorException e) when (getNext && e.Status == SnmpErrorStatus.NoSuchName)
                {
                    break; // v1 end of view
                }
                next = null;

                var take = 0;
                var done = batch.Count == 0;
                SnmpException? loop = null;
                var last = current;
                foreach (var vb in batch)
                {
                    // As snmpwalk: leaving the subtree ends the walk; inside it, anything not after the
                    // previous OID (the root itself included, as `last` starts there) is a loop.
                    if (vb.Value.Type == SnmpType.EndOfMibView || !vb.Oid.StartsWith(root)) { done = true; break; }
                    if (vb.Oid.CompareTo(last) <= 0) { loop = new SnmpWalkLoopException(last, vb.Oid); break; }
                    last = vb.Oid;
                    take++;
                }
                if (!done && loop is null) next = Fetch(last);
                for (var i = 0; i < take; i++)
                {
                    any = true;
                    yield return batch[i];
                }
                current = last;
                if (loop is not null) throw loop;
            }
        }
        finally
        {
            // A caller that stops early leaves the read-ahead request in flight; observe its outcome.
            if (next is { IsCompleted: false })
                _ = next.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
        if (!any)
        {
            IReadOnlyList<VarBind>? self = null;
            try { self = await GetAsync(target, [root], ct).ConfigureAwait(false); }
            catch (SnmpErrorException) { }
            if (self is { Count: 1 } && !self[0].Value.IsException && self[0].Value.Type != SnmpType.Null)
                yield return self[0];
        }
    }
}

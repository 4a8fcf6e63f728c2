namespace DcAssets.Integrity;

/// <summary>A stream's last event as read so far: its version and its stored hash.</summary>
internal readonly record struct StreamHead(long Version, byte[] Hash);

/// <summary>
/// The state of one verify pass over the events in sequence order: each stream's last link, the global
/// chain folded so far, and the seals still ahead. Every check goes on from what is stored, so one change
/// is reported once, at the event where it was made.
/// </summary>
internal sealed class Run(SealKey? key)
{
    private readonly Queue<Seal> _pending = new();
    private readonly HashSet<long> _forged = [];
    private byte[] _head = [];
    private long _countInSeal, _lastSealEnd;

    public List<Problem> Problems { get; } = [];
    public Dictionary<string, StreamHead> Streams { get; } = new(StringComparer.Ordinal);
    public long EventsChecked { get; private set; }
    public int SealsChecked { get; private set; }

    public bool SignatureHolds(Seal seal) =>
        key is not null && seal.KeyId == key.Id && GlobalChain.Sign(key, seal).AsSpan().SequenceEqual(seal.Signature);

    /// <summary>
    /// The seals' own chain: each signed, numbered from 1 without gaps, starting where its predecessor ended,
    /// and naming its predecessor's signature. A deleted seal leaves a gap in the numbers.
    /// </summary>
    public void CheckSealSequence(IReadOnlyList<Seal> seals)
    {
        Seal? previous = null;
        foreach (var seal in seals)
        {
            if (!SignatureHolds(seal))
            {
                _forged.Add(seal.No);
                Problems.Add(new(seal.FromSeq, seal.KeyId == key?.Id
                    ? $"seal #{seal.No} (sequence {seal.FromSeq}..{seal.UpToSeq}) has an invalid signature: " +
                      "it was forged or rewritten"
                    : $"seal #{seal.No} names key {seal.KeyId}, not the key given ({key?.Id})"));
            }
            var expectedNo = (previous?.No ?? 0) + 1;
            var expectedFrom = (previous?.UpToSeq ?? 0) + 1;
            if (seal.No != expectedNo)
                Problems.Add(new(expectedFrom, seal.No > expectedNo
                    ? $"seal #{expectedNo}{(seal.No - 1 > expectedNo ? $"..#{seal.No - 1}" : "")} deleted: " +
                      $"the seal after #{previous?.No ?? 0} is #{seal.No}"
                    : $"seal #{seal.No} appears after #{previous?.No}: seals were copied or reordered"));
            else if (seal.FromSeq != expectedFrom)
                Problems.Add(new(Math.Min(seal.FromSeq, expectedFrom), $"seal #{seal.No} starts at sequence " +
                    $"{seal.FromSeq}, not after its predecessor at {expectedFrom - 1}"));
            else if (!seal.PreviousSignature.AsSpan().SequenceEqual(previous?.Signature ?? []))
                Problems.Add(new(seal.FromSeq,
                    $"seal #{seal.No} was signed after another seal than #{previous?.No ?? 0}"));
            previous = seal;
        }
    }

    public void Begin(Seal? start, IEnumerable<Seal> ahead)
    {
        _head = start?.ChainHead ?? [];
        _lastSealEnd = start?.UpToSeq ?? 0;
        foreach (var seal in ahead) _pending.Enqueue(seal);
    }

    public void Check(StoredEvent e, long? hashSeq, byte[]? hash, bool contiguous)
    {
        while (_pending.Count > 0 && _pending.Peek().UpToSeq < e.Seq) CheckSeal(_pending.Dequeue());
        var known = Streams.TryGetValue(e.StreamId, out var last);
        var previous = known ? last.Hash : [];
        var where = $"stream '{e.StreamId}' version {e.Version} (sequence {e.Seq})";

        if (contiguous && e.Version != (known ? last.Version : 0) + 1)
            Problems.Add(new(e.Seq, $"{where} follows version {(known ? last.Version : 0)}: an event before it " +
                                    "was deleted, or this one inserted"));
        if (hash is null)
            Problems.Add(new(e.Seq, $"{where} has no stored hash: it was written around the append path"));
        else if (hashSeq != e.Seq)
            Problems.Add(new(e.Seq, $"{where}: its stored hash belongs to sequence {hashSeq}: the event was moved"));
        else if (!CanonicalEvent.Hash(previous, e).AsSpan().SequenceEqual(hash))
            Problems.Add(new(e.Seq, $"{where}: the stored hash does not match the event " +
                                    "(data, metadata, headers, type or time changed)"));

        Streams[e.StreamId] = new StreamHead(e.Version, hash ?? []);
        _head = GlobalChain.Step(_head, e.Seq, hash ?? []);
        _countInSeal++;
        EventsChecked++;
    }

    public void FinishSeals()
    {
        while (_pending.Count > 0) CheckSeal(_pending.Dequeue());
    }

    // After a mismatch the fold goes on from the seal itself (when its signature holds), so each spoilt range
    // is reported once and later ranges are judged on their own.
    private void CheckSeal(Seal seal)
    {
        SealsChecked++;
        var from = _lastSealEnd + 1;
        _lastSealEnd = seal.UpToSeq;
        var count = _countInSeal;
        _countInSeal = 0;
        if (count != seal.EventCount)
            Problems.Add(new(from, $"seal #{seal.No} counts {seal.EventCount} events up to sequence {seal.UpToSeq}, " +
                                   $"the table holds {count} from {from}: events there were deleted or inserted"));
        else if (!_head.AsSpan().SequenceEqual(seal.ChainHead))
            Problems.Add(new(from, $"seal #{seal.No} does not match the chain over sequence {from}..{seal.UpToSeq}: " +
                                   "an event there was changed and its stream's chain recomputed"));
        else return;
        if (!_forged.Contains(seal.No)) _head = seal.ChainHead;
    }
}

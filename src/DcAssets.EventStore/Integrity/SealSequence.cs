namespace DcAssets.EventStore.Integrity;

/// <summary>
/// The seals' own chain: numbered from 1 without gaps, each naming its predecessor's signature,
/// and ending where the sealer (which writes its memory with its seals) says it ended. The
/// signatures make each field unforgeable; these checks find seals that were removed.
/// </summary>
internal static class SealSequence
{
    public static IEnumerable<Tamper> Check(IReadOnlyList<SealRow> seals, SealerState? sealer)
    {
        SealRow? previous = null;
        foreach (var seal in seals.Where(s => s.No is not null))
        {
            var expected = (previous?.No ?? 0) + 1;
            var from = (previous?.UpTo ?? 0) + 1;
            if (seal.No > expected)
                yield return new(from, $"{Seals(expected, seal.No.Value - 1)} deleted: the seal after {previous?.Name ?? "the start"} is {seal.Name}, over positions {from}..{seal.UpTo}");
            else if (seal.No < expected)
                yield return new(seal.UpTo, $"seal {seal.Name} appears again after {previous!.Name}: seals were copied or reordered");
            else if (!seal.PreviousSignature.AsSpan().SequenceEqual(previous?.Signature ?? []))
                yield return new(from, $"seal {seal.Name} was signed after another seal than {previous?.Name ?? "none"}: a seal before it was replaced");
            previous = seal;
        }

        if (sealer is null) yield break;
        var last = seals.Count > 0 ? seals[^1] : null;
        var lastNo = previous?.No ?? 0;
        if (sealer.LastSealNo > lastNo || sealer.SealedCount > (last?.Count ?? 0))
        {
            var at = (last?.UpTo ?? 0) + 1;
            var which = sealer.LastSealNo > lastNo ? Seals(lastNo + 1, sealer.LastSealNo) : "the last seals";
            yield return new(at, $"{which} deleted: the sealer sealed {sealer.SealedCount} events, the remaining seals end at {last?.Name ?? "none"} with {last?.Count ?? 0}, so positions from {at} on lost their seal");
        }
    }

    private static string Seals(long from, long to) => from == to ? $"seal #{from} was" : $"seals #{from}..#{to} were";
}

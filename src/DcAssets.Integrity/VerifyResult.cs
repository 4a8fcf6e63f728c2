namespace DcAssets.Integrity;

/// <summary>One thing that does not match; <see cref="Seq"/> is null when no sequence number can be named.</summary>
public sealed record Problem(long? Seq, string Reason);

/// <summary>What a verify run found. Intact when nothing was found.</summary>
public sealed record VerifyResult(long FromSeq, long EventsChecked, int SealsChecked, IReadOnlyList<Problem> Problems)
{
    public bool Intact => Problems.Count == 0;

    /// <summary>The problem at the lowest sequence number (those naming none last), or null when intact.</summary>
    public Problem? First => Problems.OrderBy(p => p.Seq ?? long.MaxValue).FirstOrDefault();

    public long? FirstBadSeq => First?.Seq;
}

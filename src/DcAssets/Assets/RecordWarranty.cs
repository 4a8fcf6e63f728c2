namespace DcAssets.Assets;

public sealed record RecordWarrantyCommand(string? WarrantyEnd, string? SupportContract);

/// <summary>Recording the warranty end and the support contract (a renewal is a new recording).</summary>
public static class RecordWarranty
{
    public static WarrantyRecorded? Decide(Asset current, RecordWarrantyCommand c)
    {
        Guard.NotRetired(current);
        var p = new Problems();
        var (end, contract) = new AssetInput { WarrantyEnd = c.WarrantyEnd, SupportContract = c.SupportContract }.ParseWarranty(p);
        p.ThrowIfAny();
        return end == current.WarrantyEnd && contract == current.SupportContract ? null : new WarrantyRecorded(current.Tag, end, contract);
    }
}

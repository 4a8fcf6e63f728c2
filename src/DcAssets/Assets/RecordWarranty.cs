using Marten;
namespace DcAssets.Assets;

/// <summary>The body of the request; the tag comes from the route (left out of a body, it is empty).</summary>
public sealed record RecordWarrantyCommand(string? WarrantyEnd, string? SupportContract, string Tag = "");

/// <summary>Recording the warranty end and the support contract (a renewal is a new recording).</summary>
public static class RecordWarranty
{
    public static WarrantyRecorded? Decide(Asset current, RecordWarrantyCommand c)
    {
        Guard.NotRetired(current);
        var p = new Problems();
        var (end, contract) = new AssetInput { WarrantyEnd = c.WarrantyEnd,
            SupportContract = c.SupportContract }.ParseWarranty(p, current.Details.PurchaseDate);
        p.ThrowIfAny();
        return end == current.WarrantyEnd && contract == current.SupportContract
            ? null : new WarrantyRecorded(current.Tag, end, contract);
    }

    public static Task<Asset> Handle(RecordWarrantyCommand c, IDocumentSession s, CancellationToken ct) =>
        AssetStream.ChangeAsync(s, c.Tag, null, null, (a, _) => Decide(a, c), ct);
}

using JasperFx.Events;
using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;

namespace DcAssets.Integrity;

/// <summary>How a Marten store gets the tamper evidence.</summary>
public static class TamperEvidence
{
    /// <summary>
    /// Adds the hash chain's tables, functions and trigger to the store as a storage feature. Marten's full
    /// migration (<c>ApplyAllConfiguredChangesToDatabaseAsync</c>, or <c>ApplyAllDatabaseChangesOnStartup</c>)
    /// creates it after the event tables; it must run before the first append: events appended before the
    /// trigger exists carry no hash, and the verifier names them.
    /// </summary>
    public static StoreOptions AddTamperEvidence(this StoreOptions options)
    {
        options.Storage.Add(new TamperEvidenceFeature(options));
        return options;
    }
}

/// <summary>
/// A feature rather than an extended schema object: Marten creates extended schema objects before the event
/// tables, and the trigger needs mt_events to exist. Registered features come after them.
/// </summary>
internal sealed class TamperEvidenceFeature(StoreOptions options)
    : FeatureSchemaBase("TamperEvidence", options.Advanced.Migrator)
{
    public override Type StorageType => typeof(TamperEvidenceFeature);

    // So that creating this feature on demand creates the event tables first.
    public override IEnumerable<Type> DependentTypes() => [typeof(IEvent)];

    protected override IEnumerable<ISchemaObject> schemaObjects() => [new IntegritySchema(options)];
}

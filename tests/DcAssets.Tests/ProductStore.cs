using Marten;

namespace DcAssets.Tests;

/// <summary>The product's Marten store on a test database, its schema applied first (as every host does at start).</summary>
public static class ProductStore
{
    public static async Task<DocumentStore> OpenAsync(string connectionString)
    {
        var store = DocumentStore.For(o => DcAssetsStore.ConfigureMarten(o, connectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }
}

using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>Waiting for the async projections instead of sleeping: done when Marten's daemon has caught up.</summary>
public static class ProjectionWait
{
    /// <summary>
    /// Returns once every async projection has reached the head as it stood when called; fails naming a paused
    /// (faulted) projection, or when <paramref name="timeout"/> (30 s) passes first.
    /// </summary>
    public static async Task WaitForProjectionsAsync(this DcAssetsApp app, TimeSpan? timeout = null)
    {
        if (!app.Daemon)
            throw new InvalidOperationException(
                "this host runs no projection daemon: create it with new DcAssetsApp { Daemon = true }");
        await app.Services.GetRequiredService<global::Marten.IDocumentStore>()
            .WaitForNonStaleProjectionDataAsync(timeout ?? TimeSpan.FromSeconds(30));
    }
}

using System.Net.Sockets;
using Npgsql;

namespace DcAssets.EventStore.Storage;

/// <summary>Turns "the database is not there" into one typed exception; everything else passes through.</summary>
internal static class Errors
{
    public static async Task<T> Guard<T>(Func<Task<T>> work)
    {
        try { return await work(); }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new EventStoreUnavailableException($"the event store database is unavailable: {ex.Message}", ex);
        }
    }

    public static Task Guard(Func<Task> work) => Guard(async () => { await work(); return true; });

    public static bool IsUnavailable(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)   // connection exceptions
                                || pg.SqlState is "57P01" or "57P02" or "57P03"           // admin shutdown, crash, cannot connect now
                                || pg.SqlState == "3D000",                                // database does not exist
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        NpgsqlException n when n.Message.Contains("xception while", StringComparison.Ordinal) || n.Message.Contains("connect", StringComparison.OrdinalIgnoreCase) => true,
        SocketException or TimeoutException => true,
        _ => false,
    };
}

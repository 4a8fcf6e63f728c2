using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>Errors that say nothing about the consumer: the database was away, or picked this transaction as a victim.</summary>
internal static class Transience
{
    public static bool IsTransient(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case EventStoreUnavailableException: return true;
                case PostgresException pg when pg.SqlState is "40001" or "40P01" or "53300" or "55P03": return true; // serialization, deadlock, too many connections, lock not available
                case PostgresException: break;
                case NpgsqlException { IsTransient: true }: return true;
            }
            if (Storage.Errors.IsUnavailable(e)) return true;
        }
        return false;
    }
}

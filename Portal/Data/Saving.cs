using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portal.Data;

/// <summary>What a save that may lose a race ended in. An outage is none of these: it is thrown.</summary>
public enum SaveOutcome
{
    Saved,
    /// <summary>A unique key refused the row: someone else wrote it first (a used code, a second first insert).</summary>
    Duplicate,
    /// <summary>A concurrency token had moved: another request changed the row since it was read.</summary>
    Conflict,
}

/// <summary>
/// The one save helper for the races the portal expects. Only a unique-key violation and a concurrency conflict are
/// answers; anything else (a dropped connection, a timeout) is an outage and propagates, so it is never mistaken for
/// "code already used" or "changed by someone else".
/// </summary>
public static class Saving
{
    public static async Task<SaveOutcome> SaveAsync(this PortalDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return SaveOutcome.Saved;
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveOutcome.Conflict;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            return SaveOutcome.Duplicate;
        }
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        _ => false,
    };

    /// <summary>
    /// Whether an exception means the database could not be reached or did not answer: the caller logs it and tells the
    /// customer to try again, and nothing is counted against them.
    /// </summary>
    public static bool IsOutage(Exception e) => e switch
    {
        DbException or TimeoutException => true,
        DbUpdateException { InnerException: { } inner } and not DbUpdateConcurrencyException => IsOutage(inner),
        InvalidOperationException { InnerException: { } inner } => IsOutage(inner), // EF's wrapper of a transient failure
        _ => false,
    };
}

public static class DatabaseOutage
{
    /// <summary>
    /// Runs a use case and turns a database outage (only that) into <paramref name="unavailable"/>, logged with its
    /// event ID: the customer reads "try again", the circuit lives on, and nothing was counted against them.
    /// </summary>
    public static async Task<T> OrUnavailableAsync<T>(this Task<T> work, T unavailable, ILogger logger)
    {
        try
        {
            return await work;
        }
        catch (Exception e) when (Saving.IsOutage(e))
        {
            SecurityLog.DatabaseUnavailable(logger, e);
            return unavailable;
        }
    }
}

using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CalSync.Engine.Storage;

/// <summary>
/// Applies the embedded <c>Storage/Migrations/NNNN_name.sql</c> scripts in order, each in its own
/// transaction, and records them in <c>schema_migrations</c>. Hosts starting together serialise on an
/// advisory lock, so running it from every process is safe.
/// </summary>
public sealed partial class DatabaseMigrator(NpgsqlDataSource dataSource, TimeProvider time, ILogger<DatabaseMigrator> logger)
{
    // Arbitrary constant shared by every CalSync process: "CalSync migrations".
    private const long MigrationLockKey = 0x43616C53796E63;

    public static IReadOnlyList<Migration> EmbeddedMigrations { get; } = LoadEmbeddedMigrations();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_lock(@key)", new { key = MigrationLockKey }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                create table if not exists schema_migrations (
                    version     integer primary key,
                    name        text not null,
                    applied_at  timestamptz not null
                )
                """, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<int>(new CommandDefinition(
                "select version from schema_migrations", cancellationToken: cancellationToken))).ToHashSet();

            var count = 0;
            foreach (var migration in EmbeddedMigrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "insert into schema_migrations (version, name, applied_at) values (@Version, @Name, @at)",
                    new { migration.Version, migration.Name, at = time.GetUtcNow() }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                LogApplied(migration.Version, migration.Name);
                count++;
            }
            return count;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "select pg_advisory_unlock(@key)", new { key = MigrationLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} {Name}")]
    private partial void LogApplied(int version, string name);

    private static List<Migration> LoadEmbeddedMigrations()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        const string prefix = "CalSync.Engine.Storage.Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName[..separator], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, fileName[(separator + 1)..], reader.ReadToEnd()));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        return duplicate is not null
            ? throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.")
            : [.. migrations.OrderBy(m => m.Version)];
    }
}

public sealed record Migration(int Version, string Name, string Sql);

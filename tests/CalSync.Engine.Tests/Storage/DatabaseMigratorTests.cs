using CalSync.Engine.Storage;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CalSync.Engine.Tests.Storage;

public sealed class DatabaseMigratorTests
{
    [Fact]
    public void EmbeddedMigrations_AreNumberedWithoutGaps()
    {
        var versions = DatabaseMigrator.EmbeddedMigrations.Select(m => m.Version).ToList();
        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    [Fact]
    public async Task MigrateAsync_ConcurrentOnFreshDatabase_AppliesEachMigrationOnce()
    {
        var endpoints = await TestServices.GetAsync();
        var name = $"calsync_migrate_{Guid.NewGuid():N}";
        await using var admin = NpgsqlDataSource.Create(endpoints.PostgresAdmin);
        await admin.CreateCommand($"create database {name}").ExecuteNonQueryAsync();
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(endpoints.PostgresAdmin) { Database = name }.ConnectionString;
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            Migrator NewMigrator() => new(dataSource);

            // Three hosts starting at once: one applies everything, the others find nothing to do.
            var applied = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => NewMigrator().Run()));
            Assert.Equal(DatabaseMigrator.EmbeddedMigrations.Count, applied.Sum());

            await using var connection = await dataSource.OpenConnectionAsync();
            var recorded = await connection.QueryAsync<int>("select version from schema_migrations order by version");
            Assert.Equal(DatabaseMigrator.EmbeddedMigrations.Select(m => m.Version), recorded);
            Assert.Equal(0, await NewMigrator().Run());
            Assert.True(await connection.ExecuteScalarAsync<bool>("select to_regclass('public.runs') is not null"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await admin.CreateCommand($"drop database if exists {name} with (force)").ExecuteNonQueryAsync();
        }
    }

    private sealed class Migrator(NpgsqlDataSource dataSource)
    {
        public Task<int> Run() =>
            new DatabaseMigrator(dataSource, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }
}

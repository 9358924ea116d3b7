using Dapper;

namespace CalSync.Api.Tests;

/// <summary>How many rows each table of the fixture's database holds: a refused request must leave this unchanged.</summary>
public static class DatabaseRows
{
    public static async Task<string> CountAsync(this ApiFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>(
            "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name")).ToList();
        var counts = string.Join(" union all ", tables.Select(t => $"select '{t}=' || count(*) from \"{t}\""));
        return string.Join(' ', await connection.QueryAsync<string>(counts));
    }
}

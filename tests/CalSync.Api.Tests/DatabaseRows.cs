using Dapper;

namespace CalSync.Api.Tests;

/// <summary>
/// How many rows each table of the fixture's database holds: a refused request must leave this unchanged. The Google
/// quota ledger is left out: a request refused because Google knows no such calendar has asked Google, and that call
/// is rightly counted against the quota.
/// </summary>
public static class DatabaseRows
{
    public static async Task<string> CountAsync(this ApiFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>(
            "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'google_quota%' order by table_name")).ToList();
        var counts = string.Join(" union all ", tables.Select(t => $"select '{t}=' || count(*) from \"{t}\""));
        return string.Join(' ', await connection.QueryAsync<string>(counts));
    }
}

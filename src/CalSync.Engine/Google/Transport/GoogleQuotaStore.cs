using Dapper;
using Npgsql;

namespace CalSync.Engine.Google.Transport;

/// <summary>
/// What <see cref="GoogleQuotaStore.LeaseAsync"/> asks for: between <c>Need</c> and <c>Want</c> permits of an account's
/// budget and the project's, per <c>Window</c>. A lease counts against the budgets for <c>Lookback</c> (the window plus
/// the permits' lifetime and a margin). <c>ReturnPermits</c> unused permits of an earlier lease of this account,
/// <c>ReturnId</c>, come back in the same round trip.
/// </summary>
public sealed record QuotaLeaseRequest(
    string AccountKey, int AccountLimit, int ProjectLimit, TimeSpan Window, TimeSpan Lookback, int Need, int Want,
    long? ReturnId = null, int ReturnPermits = 0);

/// <summary>Permits granted (then <see cref="LeaseId"/> names them), or none and how long to wait; and the account's budget now.</summary>
public sealed record QuotaLease(long? LeaseId, int Granted, TimeSpan Wait, double Budget);

/// <summary>
/// The Google quota budgets that all CalSync processes share (migration 0008): a lease log per account, read and
/// written by two functions under the database's clock. <c>at</c> replaces that clock for tests replaying a scenario.
/// </summary>
public sealed class GoogleQuotaStore(NpgsqlDataSource dataSource)
{
    public async Task<QuotaLease> LeaseAsync(QuotaLeaseRequest request, CancellationToken cancellationToken, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<LeaseRow>(new CommandDefinition(
            """
            select lease_id as LeaseId, granted as Granted, extract(epoch from wait)::double precision as WaitSeconds, budget as Budget
            from google_quota_lease(
                @AccountKey, @AccountLimit, @ProjectLimit, make_interval(secs => @windowSeconds), make_interval(secs => @lookbackSeconds),
                @Need, @Want, @ReturnId, @ReturnPermits, @at::timestamptz)
            """,
            new
            {
                request.AccountKey, request.AccountLimit, request.ProjectLimit, request.Need, request.Want, request.ReturnId, request.ReturnPermits,
                windowSeconds = request.Window.TotalSeconds, lookbackSeconds = request.Lookback.TotalSeconds, at,
            },
            cancellationToken: cancellationToken));
        return new QuotaLease(row.LeaseId, row.Granted, TimeSpan.FromSeconds(Math.Max(0, row.WaitSeconds)), row.Budget);
    }

    /// <summary>Reports calls Google refused for quota; returns the account's lowered budget.</summary>
    public async Task<double> RefusedAsync(
        string accountKey, int refused, int accountLimit, TimeSpan window, long? returnId, int returnPermits,
        CancellationToken cancellationToken, DateTimeOffset? at = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<double>(new CommandDefinition(
            """
            select google_quota_refused(@accountKey, @refused, @accountLimit, make_interval(secs => @windowSeconds), @returnId, @returnPermits, @at::timestamptz)
            """,
            new { accountKey, refused, accountLimit, windowSeconds = window.TotalSeconds, returnId, returnPermits, at },
            cancellationToken: cancellationToken));
    }

    private sealed class LeaseRow
    {
        public long? LeaseId { get; init; }
        public int Granted { get; init; }
        public double WaitSeconds { get; init; }
        public double Budget { get; init; }
    }
}

namespace CalSync.Testing;

/// <summary>
/// Waits for an observable state reached by another process (a worker, the broker). Polls quickly and
/// gives up only after a generous deadline: the deadline guards against hangs, it is not a timing assertion.
/// </summary>
public static class Eventually
{
    public static async Task<T> ReachesAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, string what, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        var last = await observe();
        while (!condition(last))
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up waiting for {what}; last observed: {last}");
            }
            await Task.Delay(50, CancellationToken.None);
            last = await observe();
        }
        return last;
    }
}

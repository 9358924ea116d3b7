using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;

namespace CalSync.GoogleEmulator.Faults;

/// <summary>Applies the fault settings and the per-user quota to each Calendar call (batch parts included).</summary>
internal sealed class FaultInjector(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _calls = new(StringComparer.OrdinalIgnoreCase);
    private FaultSettings _settings = new();
    private int _rotation;
    private TaskCompletionSource _pushReleased = Released();

    public FaultSettings Settings
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    /// <summary>Applies the fields present in a PUT body; missing fields keep their value (design.md).</summary>
    public FaultSettings Update(JsonObject patch)
    {
        lock (_gate)
        {
            var merged = JsonSerializer.SerializeToNode(_settings, GoogleJson.Options)!.AsObject();
            foreach (var (key, value) in patch)
            {
                merged[key] = value?.DeepClone();
            }

            // Throws JsonException for a wrongly typed field; the settings then stay as they were.
            var updated = merged.Deserialize<FaultSettings>(GoogleJson.Options) ?? _settings;
            if (updated.Problem() is { } problem)
            {
                throw new JsonException(problem);
            }

            _settings = updated;
            GatePush();
            return _settings;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _settings = new FaultSettings();
            _calls.Clear();
            GatePush();
        }
    }

    /// <summary>An error to answer instead of running the call (QuotaSpent when the per-user quota refused it), or null.</summary>
    public FaultVerdict? Check(string email)
    {
        lock (_gate)
        {
            var s = _settings;
            if (s.QuotaPerUserPerMinute is { } quota && Quota(email, quota, TimeSpan.FromSeconds(s.QuotaWindowSeconds)) is { } limited)
            {
                return new FaultVerdict(limited, QuotaSpent: true);
            }

            var fail = false;
            if (_settings.FailNext > 0)
            {
                _settings = s with { FailNext = s.FailNext - 1 };
                fail = true;
            }
            else if (s.ErrorRate > 0 && (s.ErrorRate >= 1.0 || Random.Shared.NextDouble() < s.ErrorRate))
            {
                fail = true;
            }

            if (!fail || s.ErrorStatuses.Count == 0)
            {
                return null;
            }

            var status = s.ErrorStatuses[_rotation++ % s.ErrorStatuses.Count];
            return new FaultVerdict(Injected(status, s.RetryAfterSeconds), QuotaSpent: false);
        }
    }

    /// <summary>Completes when push notifications may go out (at once unless <see cref="FaultSettings.HoldPush"/> is on).</summary>
    public Task PushReleased()
    {
        lock (_gate)
        {
            return _pushReleased.Task;
        }
    }

    /// <summary>Called with the lock held after the settings changed: closes or opens the gate notifications wait at.</summary>
    private void GatePush()
    {
        if (_settings.HoldPush && _pushReleased.Task.IsCompleted)
        {
            _pushReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        else if (!_settings.HoldPush)
        {
            _pushReleased.TrySetResult();
        }
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    public bool DropPush()
    {
        var rate = Settings.DropPushRate;
        return rate > 0 && (rate >= 1.0 || Random.Shared.NextDouble() < rate);
    }

    /// <summary>Counts accepted calls only, so a client that keeps retrying while refused gets in again once old calls leave the window.</summary>
    private ApiResponse? Quota(string email, int quota, TimeSpan window)
    {
        var now = time.GetUtcNow();
        if (!_calls.TryGetValue(email, out var calls))
        {
            _calls[email] = calls = new Queue<DateTimeOffset>();
        }

        while (calls.Count > 0 && calls.Peek() <= now - window)
        {
            calls.Dequeue();
        }

        if (calls.Count >= quota)
        {
            // A sliding window: retry once the oldest counted call leaves it.
            var wait = Math.Max(1, (int)Math.Ceiling((calls.Peek() + window - now).TotalSeconds));
            var response = _settings.QuotaStatus == 429 ? GoogleError.RateLimited(429) : GoogleError.UserRateLimited(403);
            return response.WithHeader("Retry-After", wait.ToString(CultureInfo.InvariantCulture));
        }

        calls.Enqueue(now);
        return null;
    }

    private static ApiResponse Injected(int status, int retryAfter) => status switch
    {
        403 or 429 => GoogleError.RateLimited(status).WithHeader("Retry-After", retryAfter.ToString(CultureInfo.InvariantCulture)),
        401 => GoogleError.Unauthorized(),
        404 => GoogleError.NotFound(),
        410 => GoogleError.FullSyncRequired(),
        _ => GoogleError.BackendError(status),
    };
}

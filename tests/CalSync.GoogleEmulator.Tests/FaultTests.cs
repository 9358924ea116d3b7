using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Hosting;
using CalSync.GoogleEmulator.Tests.Kit;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>Faults are global to an emulator, so this class runs against its own instance with a fake clock.</summary>
public sealed class FaultFixture : EmulatorFixture
{
    public SignallingClock Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected override EmulatorHostOptions Options => new() { TimeProvider = Clock };
}

/// <summary>A fake clock that tells the test when the emulator starts waiting on it.</summary>
public sealed class SignallingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private TaskCompletionSource<TimeSpan> _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TimeSpan> NextTimerAsync()
    {
        _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return _timerCreated.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timerCreated.TrySetResult(dueTime);
        return timer;
    }
}

public sealed class FaultTests(FaultFixture fixture) : IClassFixture<FaultFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await PutFaultsAsync(new JsonObject
    {
        ["latencyMs"] = 0, ["errorRate"] = 0.0, ["errorStatuses"] = new JsonArray(503), ["quotaPerUserPerMinute"] = null,
        ["dropPushRate"] = 0.0, ["failNext"] = 0, ["quotaStatus"] = 403,
    });

    [Fact]
    public async Task Faults_round_trip_and_missing_fields_keep_their_value()
    {
        await PutFaultsAsync(new JsonObject { ["latencyMs"] = 5, ["errorStatuses"] = new JsonArray(500, 503) });
        var after = await PutFaultsAsync(new JsonObject { ["dropPushRate"] = 0.5 });
        var got = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/faults"))!;

        Assert.Equal(5, after["latencyMs"]!.GetValue<int>());
        Assert.Equal(0.5, after["dropPushRate"]!.GetValue<double>());
        Assert.Equal([500, 503], got["errorStatuses"]!.AsArray().Select(s => s!.GetValue<int>()));
        Assert.Equal(0.0, got["errorRate"]!.GetValue<double>());
        Assert.True(got.AsObject().ContainsKey("quotaPerUserPerMinute"));
        Assert.Null(got["quotaPerUserPerMinute"]);
    }

    [Fact]
    public async Task A_wrongly_typed_fault_field_is_400_and_changes_nothing()
    {
        using var response = await fixture.Http.PutAsJsonAsync("emulator/faults", new JsonObject { ["errorRate"] = "often" });
        var got = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/faults"))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0.0, got["errorRate"]!.GetValue<double>());
    }

    [Theory]
    [InlineData(503, "backendError")]
    [InlineData(500, "backendError")]
    [InlineData(429, "rateLimitExceeded")]
    [InlineData(403, "rateLimitExceeded")]
    public async Task Error_rate_one_fails_every_call_with_the_configured_status(int status, string reason)
    {
        var user = await fixture.NewUserAsync();
        await PutFaultsAsync(new JsonObject { ["errorRate"] = 1.0, ["errorStatuses"] = new JsonArray(status) });

        var reply = await user.GetAsync(user.Events);
        await PutFaultsAsync(new JsonObject { ["errorRate"] = 0.0 });
        var healthy = await user.GetAsync(user.Events);

        Assert.Equal(status, (int)reply.Status);
        Assert.Equal(reason, reply.Reason);
        if (status is 403 or 429)
        {
            Assert.NotNull(reply.Message.Headers.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.OK, healthy.Status);
    }

    [Fact]
    public async Task Fail_next_fails_exactly_that_many_calls()
    {
        var user = await fixture.NewUserAsync();
        await PutFaultsAsync(new JsonObject { ["failNext"] = 2, ["errorStatuses"] = new JsonArray(503) });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await user.GetAsync(user.Events)).Status);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task Latency_holds_each_request_until_that_much_time_has_passed()
    {
        var user = await fixture.NewUserAsync();
        await PutFaultsAsync(new JsonObject { ["latencyMs"] = 50 });
        var timer = fixture.Clock.NextTimerAsync();

        var pending = user.GetAsync(user.Events);
        var delay = await timer.WaitAsync(TimeSpan.FromSeconds(15));
        var completedBeforeTimePassed = pending.IsCompleted;
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(50));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(TimeSpan.FromMilliseconds(50), delay);
        Assert.False(completedBeforeTimePassed);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Quota_per_user_per_minute_answers_403_user_rate_limit_then_recovers()
    {
        var user = await fixture.NewUserAsync();
        var other = await fixture.NewUserAsync();
        await PutFaultsAsync(new JsonObject { ["quotaPerUserPerMinute"] = 3 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await user.GetAsync(user.Events)).Status);
        }

        var limited = await user.GetAsync(user.Events);
        var otherUser = await other.GetAsync(other.Events);
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        var recovered = await user.GetAsync(user.Events);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden], statuses);
        Assert.Equal("userRateLimitExceeded", limited.Reason);
        Assert.True(limited.Message.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, otherUser.Status);
        Assert.Equal(HttpStatusCode.OK, recovered.Status);
    }

    [Fact]
    public async Task Batch_parts_count_against_the_quota_one_by_one()
    {
        var user = await fixture.NewUserAsync();
        await PutFaultsAsync(new JsonObject { ["quotaPerUserPerMinute"] = 2 });
        var part = string.Join("\r\n", "--q", "Content-Type: application/http", "", $"GET /{user.Events}", "", "");
        using var request = new HttpRequestMessage(HttpMethod.Post, "batch/calendar/v3")
        {
            Content = new StringContent(string.Join("\r\n", part, part, part, "--q--", "")),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=q");
        request.Headers.Authorization = new("Bearer", user.AccessToken);

        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, text.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Contains("HTTP/1.1 403 Forbidden", text, StringComparison.Ordinal);
        Assert.Contains("userRateLimitExceeded", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quota_can_answer_429_instead()
    {
        var user = await fixture.NewUserAsync();
        await PutFaultsAsync(new JsonObject { ["quotaPerUserPerMinute"] = 1, ["quotaStatus"] = 429 });

        await user.GetAsync(user.Events);
        var limited = await user.GetAsync(user.Events);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("rateLimitExceeded", limited.Reason);
        Assert.NotNull(limited.Message.Headers.RetryAfter);
    }

    [Fact]
    public async Task Drop_push_rate_one_drops_every_notification()
    {
        var user = await fixture.NewUserAsync();
        await using var listener = await PushListener.StartAsync();
        await PutFaultsAsync(new JsonObject { ["dropPushRate"] = 1.0 });
        await user.PostAsync($"{user.Events}/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = listener.Address.ToString() });
        await user.InsertAsync("dropped", new DateTimeOffset(2030, 1, 2, 10, 0, 0, TimeSpan.Zero));

        // Drops are decided when a notification is queued, and a channel delivers in order: the first to arrive is the one after the drops.
        await PutFaultsAsync(new JsonObject { ["dropPushRate"] = 0.0 });
        await user.InsertAsync("delivered", new DateTimeOffset(2030, 1, 3, 10, 0, 0, TimeSpan.Zero));
        var first = await listener.NextAsync();

        Assert.Equal("exists", first.State);
        Assert.Equal(3, first.Number);
    }

    private async Task<JsonNode> PutFaultsAsync(JsonObject body)
    {
        using var response = await fixture.Http.PutAsJsonAsync("emulator/faults", body);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}

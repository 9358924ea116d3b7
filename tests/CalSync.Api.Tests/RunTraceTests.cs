extern alias worker;
using System.Diagnostics;
using CalSync.Api.Webhooks;
using CalSync.Engine.Auth;
using CalSync.Engine.Push;
using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using worker::CalSync.Worker.Schedules;

namespace CalSync.Api.Tests;

/// <summary>
/// A run followed from the REST call that asks for it to the Google writes it makes: one trace across the Api, the
/// broker and a worker, with nothing secret or personal in it.
/// </summary>
[Collection(TracedStackFixture.Collection)]
public sealed class RunTraceTests(TracedStackFixture fixture)
{
    private const string Http = "System.Net.Http";

    [Fact]
    public async Task One_trace_covers_the_request_the_publish_the_consume_the_run_the_database_and_the_Google_calls()
    {
        var run = await RunThroughTheStackAsync();

        var root = Assert.Single(run.Trace, s => s.ParentSpanId == default);
        Assert.Same(run.Request, root);
        Assert.Contains(run.Request, fixture.ApiSpans.Snapshot());
        var runSpan = Assert.Single(run.Trace, s => s.Source.Name == "CalSync" && s.OperationName == "run");
        Assert.Contains(runSpan, fixture.WorkerSpans.Snapshot());
        Assert.Equal(run.RunId.ToString(), runSpan.GetTagItem("calsync.run.id"));
        Assert.Equal(run.SyncId.ToString(), runSpan.GetTagItem("calsync.sync.id"));

        // From the run up to the request: the worker consumed what the Api published.
        var ancestors = Ancestors(runSpan, run.Trace);
        var consume = ancestors.First(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
        var publish = ancestors.First(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        Assert.Contains(consume, fixture.WorkerSpans.Snapshot());
        Assert.Contains(publish, fixture.ApiSpans.Snapshot());
        Assert.True(ancestors.IndexOf(consume) < ancestors.IndexOf(publish), "the consume span lies below the publish span");
        Assert.Same(run.Request, ancestors[^1]);

        // Beneath the run: the database and every Google call, each with its HTTP request(s).
        var underRun = run.Trace.Where(s => Ancestors(s, run.Trace).Contains(runSpan)).ToList();
        Assert.Contains(underRun, s => s.Source.Name == "Npgsql");
        var google = underRun.Where(s => s.Source.Name == "CalSync" && s.GetTagItem("google.method") is not null).ToList();
        Assert.Contains(google, s => Equals(s.GetTagItem("google.method"), "calendar.events.list"));
        var batch = Assert.Single(google, s => Equals(s.GetTagItem("google.method"), "batch"));
        var part = Assert.Single(batch.Events, e => e.Name == "batch part");
        Assert.Equal("calendar.events.insert", part.Tags.Single(t => t.Key == "google.method").Value);
        Assert.Equal("success", part.Tags.Single(t => t.Key == "google.outcome").Value);
        Assert.All(google, g => Assert.Contains(run.Trace, s => s.Source.Name == Http && s.ParentSpanId == g.SpanId));
        // Every HTTP request to Google belongs to a Google call span: none is sent around it.
        var googleHttp = underRun.Where(s => s.Source.Name == Http && s.GetTagItem("server.address") is not null).ToList();
        Assert.All(googleHttp, h => Assert.Contains(google, g => g.SpanId == h.ParentSpanId));
    }

    [Fact]
    public async Task A_run_the_dispatcher_publishes_later_stays_in_the_trace_that_queued_it()
    {
        var sync = await fixture.Google.CreateSyncAsync(fixture.Worker.Services, fixture.Database.DataSource);
        // What an Api request does when its publish fails: the run is queued within the request's trace, and no message goes out.
        var origin = new Activity("a request whose publish failed") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start();
        var (run, _) = await new RunStore(fixture.Database.DataSource, TimeProvider.System).EnqueueAsync(sync.SyncId, RunTrigger.Manual, false, false, CancellationToken.None);
        origin.Stop();
        Assert.Equal(origin.Id, run.TraceParent);

        var trace = await Eventually.ReachesAsync(() => Task.FromResult(fixture.Trace(origin.TraceId)),
            t => t.Any(s => s.OperationName == "run" && Equals(s.GetTagItem("calsync.run.id"), run.Id.ToString()))
                && t.All(s => s.ParentSpanId == origin.SpanId || t.Any(p => p.SpanId == s.ParentSpanId)),
            "the run's spans in the trace that queued it");

        var republished = Assert.Single(trace, s => s.OperationName == "run re-published");
        Assert.Equal(origin.SpanId, republished.ParentSpanId);
        var runSpan = Assert.Single(trace, s => s.OperationName == "run");
        Assert.Contains(republished, Ancestors(runSpan, trace));
        Assert.Contains(Ancestors(runSpan, trace), s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
    }

    [Fact]
    public async Task A_scheduled_run_starts_a_trace_of_its_own_where_its_schedule_fires()
    {
        var sync = await fixture.Google.CreateSyncAsync(fixture.Worker.Services, fixture.Database.DataSource);
        var scheduler = await fixture.Worker.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        // What the sync's cron trigger does when it fires, without waiting for the next minute.
        await scheduler.TriggerJob(SyncScheduleTriggers.JobKey, new JobDataMap { [SyncScheduleJob.SyncIdKey] = sync.SyncId.ToString() });

        var fired = (await Eventually.ReachesAsync(
            () => Task.FromResult(fixture.WorkerSpans.Snapshot().FirstOrDefault(s => s.OperationName == "schedule fired" && Equals(s.GetTagItem("calsync.sync.id"), sync.SyncId.ToString()))),
            s => s is not null, "the span of the fired schedule"))!;
        Assert.Equal(default, fired.ParentSpanId);
        var trace = await Eventually.ReachesAsync(() => Task.FromResult(fixture.Trace(fired.TraceId)),
            t => t.Any(s => s.OperationName == "run") && t.All(s => s.ParentSpanId == default || t.Any(p => p.SpanId == s.ParentSpanId)),
            "the scheduled run's spans, each with its parent");
        var runSpan = Assert.Single(trace, s => s.OperationName == "run");
        Assert.Equal(fired.GetTagItem("calsync.run.id"), runSpan.GetTagItem("calsync.run.id"));
        var ancestors = Ancestors(runSpan, trace);
        Assert.Contains(ancestors, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
        Assert.Contains(ancestors, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        Assert.Same(fired, ancestors[^1]);
    }

    [Fact]
    public async Task A_push_run_starts_a_trace_of_its_own_linked_to_the_notification()
    {
        var sync = await fixture.Google.CreateSyncAsync(fixture.Worker.Services, fixture.Database.DataSource);
        Guid sourceAccount;
        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        {
            sourceAccount = await connection.ExecuteScalarAsync<Guid>("select a_account_id from syncs where id = @SyncId", new { sync.SyncId });
        }
        // A live channel on the sync's source calendar, as the reconciler leaves it.
        var channels = fixture.Api.Services.GetRequiredService<WatchChannelStore>();
        var (channelId, token, resourceId) = (ChannelTokens.NewChannelId(), ChannelTokens.NewToken(), $"resource-{Guid.NewGuid():N}");
        Assert.True(await channels.TryAddPendingAsync(channelId, new WatchedCalendar(sourceAccount, "primary"), ChannelTokens.Hash(token), CancellationToken.None));
        await channels.ActivateAsync(channelId, resourceId, TimeProvider.System.GetUtcNow().AddDays(7), null, CancellationToken.None);
        using var client = fixture.Api.CreateClient();
        using var notification = new HttpRequestMessage(HttpMethod.Post, GoogleWebhook.Path) { Content = new ByteArrayContent([]) };
        notification.Headers.Add("X-Goog-Channel-ID", channelId);
        notification.Headers.Add("X-Goog-Channel-Token", token);
        notification.Headers.Add("X-Goog-Resource-ID", resourceId);
        notification.Headers.Add("X-Goog-Resource-State", "exists");
        notification.Headers.Add("X-Goog-Message-Number", "2");

        using (await client.SendAsync(notification)) { }

        var pushed = (await Eventually.ReachesAsync(
            () => Task.FromResult(fixture.ApiSpans.Snapshot().FirstOrDefault(s => s.OperationName == "push run" && Equals(s.GetTagItem("calsync.sync.id"), sync.SyncId.ToString()))),
            s => s is not null, "the span of the push run"))!;
        Assert.Equal(default, pushed.ParentSpanId);
        var request = Assert.Single(fixture.ApiSpans.Snapshot(), s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("url.path"), GoogleWebhook.Path)
            && pushed.Links.Any(l => l.Context.SpanId == s.SpanId));
        Assert.NotEqual(request.TraceId, pushed.TraceId);
        var trace = await Eventually.ReachesAsync(() => Task.FromResult(fixture.Trace(pushed.TraceId)),
            t => t.Any(s => s.OperationName == "run") && t.All(s => s.ParentSpanId == default || t.Any(p => p.SpanId == s.ParentSpanId)),
            "the push run's spans, each with its parent");
        var runSpan = Assert.Single(trace, s => s.OperationName == "run");
        Assert.Equal(sync.SyncId.ToString(), runSpan.GetTagItem("calsync.sync.id"));
        Assert.Same(pushed, Ancestors(runSpan, trace)[^1]);
    }

    [Fact]
    public async Task No_span_carries_a_token_an_email_address_or_an_event_title()
    {
        var run = await RunThroughTheStackAsync();
        var credentials = fixture.Worker.Services.GetRequiredService<GoogleAccountCredentials>();
        var accounts = fixture.Worker.Services.GetRequiredService<GoogleAccountStore>();
        List<string> secrets = [run.Title, run.User.Token];
        foreach (var account in run.User.Accounts)
        {
            secrets.Add(await credentials.For(account.Id).GetAccessTokenAsync(CancellationToken.None));
            secrets.Add((await accounts.GetRefreshTokenAsync(account.Id, CancellationToken.None))!);
            secrets.Add(account.Email);
        }

        secrets.AddRange([.. secrets.Select(Uri.EscapeDataString)]);
        // Every span either host exported, the sign-in and the sync's creation included, not only the run's trace; but
        // not the emulator's own request spans: it shares this process only here, and Google's servers are not traced by CalSync.
        var emulatorPort = fixture.Google.Emulator.BaseUri.Port;
        var texts = fixture.ApiSpans.Snapshot().Concat(fixture.WorkerSpans.Snapshot())
            .Where(s => !(s.Kind == ActivityKind.Server && Equals(s.GetTagItem("server.port"), emulatorPort)))
            .SelectMany(Texts).ToList();

        Assert.Contains(texts, t => t.Where == "calsync.run.id");
        // Query strings carry OAuth codes and states, login hints, page and sync tokens: their values never stand in a span.
        var queries = fixture.ApiSpans.Snapshot().Concat(fixture.WorkerSpans.Snapshot()).Select(s => s.GetTagItem("url.query") as string).OfType<string>().ToList();
        Assert.Contains(queries, q => q.Contains("code=", StringComparison.Ordinal)); // the sign-in's OAuth callback was traced
        Assert.All(queries.SelectMany(q => q.TrimStart('?').Split('&')), pair => Assert.EndsWith("=Redacted", pair, StringComparison.Ordinal));
        var leaks = texts.Where(t => secrets.Any(secret => t.Text.Contains(secret, StringComparison.OrdinalIgnoreCase))).Select(t => t.Where).Distinct().ToList();
        Assert.True(leaks.Count == 0, "secrets in: " + string.Join("; ", leaks));
    }

    [Fact]
    public async Task The_worker_serves_run_and_Google_call_metrics_by_their_documented_names_and_without_accounts()
    {
        var run = await RunThroughTheStackAsync();
        using var client = fixture.Worker.CreateClient();

        var metrics = await Eventually.ReachesAsync(() => client.GetStringAsync("/metrics"),
            m => Series(m, "calsync_runs_finished_total").Any(l => l.Contains("status=\"succeeded\"", StringComparison.Ordinal)), "run metrics");

        foreach (var name in (string[])["calsync_runs_started_total", "calsync_run_duration_seconds_bucket", "calsync_run_queue_wait_seconds_bucket",
            "calsync_google_calls_total", "calsync_google_http_requests_total"])
        {
            Assert.NotEmpty(Series(metrics, name));
        }
        Assert.Contains(Series(metrics, "calsync_google_calls_total"), l =>
            l.Contains("google_method=\"calendar.events.insert\"", StringComparison.Ordinal) && l.Contains("google_outcome=\"success\"", StringComparison.Ordinal));
        Assert.Contains(Series(metrics, "calsync_google_http_requests_total"), l =>
            l.Contains("google_method=\"batch\"", StringComparison.Ordinal) && l.Contains("google_outcome=\"success\"", StringComparison.Ordinal));
        // One series per method and outcome, whatever the number of tenants: no account in any label.
        var google = metrics.Split('\n').Where(l => l.StartsWith("calsync_google_", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(google, l => l.Contains("account", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(run.User.Accounts, a => metrics.Contains(a.Id.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    private Task<TracedRun> RunThroughTheStackAsync() => fixture.RunThroughTheStackAsync();
    /// <summary>The span's parent, its parent's parent and so on, nearest first.</summary>
    private static List<Activity> Ancestors(Activity span, IReadOnlyList<Activity> trace)
    {
        var ancestors = new List<Activity>();
        for (var parent = trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId); parent is not null; parent = trace.FirstOrDefault(s => s.SpanId == parent.ParentSpanId))
        {
            ancestors.Add(parent);
        }
        return ancestors;
    }

    /// <summary>Everything of a span an exporter would send as text, and where in the span it stands.</summary>
    private static IEnumerable<(string Where, string Text)> Texts(Activity span)
    {
        var name = $"{span.Source.Name} {span.OperationName}";
        yield return (name, span.DisplayName);
        yield return ($"{name}: status", span.StatusDescription ?? "");
        foreach (var (key, value) in span.TagObjects)
        {
            yield return (key == "calsync.run.id" ? key : $"{name}: {key}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }
        foreach (var spanEvent in span.Events)
        {
            yield return ($"{name}: event", spanEvent.Name);
            foreach (var (key, value) in spanEvent.Tags)
            {
                yield return ($"{name}: event {spanEvent.Name}: {key}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
            }
        }
        foreach (var (key, value) in span.Baggage)
        {
            yield return ($"{name}: baggage {key}", value ?? "");
        }
    }

    private static List<string> Series(string metrics, string name) =>
        [.. metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))];

}

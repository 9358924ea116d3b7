using System.Text.RegularExpressions;
using CalSync.Engine.Google.Transport;
using CalSync.Engine.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Tests;

/// <summary>What a worker logs while it runs a run: every line names the run and its sync, and the console line says when.</summary>
[Collection(TracedStackFixture.Collection)]
public sealed partial class RunLogTests(TracedStackFixture fixture)
{
    [Fact]
    public async Task Every_line_CalSync_writes_in_a_runs_trace_carries_the_run_and_its_sync_as_scope()
    {
        var run = await fixture.RunThroughTheStackAsync();

        var lines = LinesOf(run);

        // Lines of the run's own steps and of the Google client beneath them: not a vacuous "all".
        Assert.Contains(lines, l => l.Category == typeof(RunProcessor).FullName);
        Assert.Contains(lines, l => l.Category == typeof(GoogleTransport).FullName);
        Assert.All(lines, l =>
        {
            Assert.Equal(run.RunId.ToString(), ScopeValue(l, "RunId"));
            Assert.Equal(run.SyncId.ToString(), ScopeValue(l, "SyncId"));
        });
    }

    [Fact]
    public async Task The_console_writes_a_run_line_with_its_UTC_time_and_the_run_and_sync()
    {
        var run = await fixture.RunThroughTheStackAsync();
        // A line of the Google client: its message names neither the run nor the sync, only the scope does.
        var record = LinesOf(run).First(l => l.Category == typeof(GoogleTransport).FullName);
        Assert.DoesNotContain(run.RunId.ToString(), record.Message, StringComparison.Ordinal);
        var services = fixture.Worker.Services;
        var name = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple;
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        // The scopes the line really had, as the console logger hands them to its formatter.
        var scopes = new LoggerExternalScopeProvider();
        var pushed = record.Scopes.Select(scopes.Push).ToList();
        using var text = new StringWriter();

        formatter.Write(new LogEntry<string>(record.Level, record.Category!, record.Id, record.Message, null, (m, _) => m), scopes, text);

        var line = text.ToString();
        Assert.Matches(Timestamp(), line);
        Assert.Contains($"Run {run.RunId} of sync {run.SyncId}", line, StringComparison.Ordinal);
        pushed.ForEach(p => p.Dispose());
    }

    /// <summary>The lines CalSync's own classes wrote in the run's trace (MassTransit's and the host's are not ours to scope).</summary>
    private List<FakeLogRecord> LinesOf(TracedRun run) =>
        [.. fixture.WorkerLogs.GetSnapshot().Where(l =>
            l.Category?.StartsWith("CalSync.", StringComparison.Ordinal) == true && ScopeValue(l, "TraceId") == run.Request.TraceId.ToString())];

    private static string? ScopeValue(FakeLogRecord record, string key) =>
        record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s)
            .Where(kv => kv.Key == key).Select(kv => Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    // An ISO 8601 UTC time, to the millisecond, at the start of the line.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z ")]
    private static partial Regex Timestamp();
}

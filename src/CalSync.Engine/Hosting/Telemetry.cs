using System.Diagnostics;

namespace CalSync.Engine.Hosting;

/// <summary>
/// CalSync's own spans (activity source <c>CalSync</c>) and the attributes they carry. Spans name what happened and
/// to which run or sync, never whose data: no tokens, no email addresses, no event titles or bodies.
/// </summary>
public static class Telemetry
{
    public const string SourceName = "CalSync";

    /// <summary>MassTransit's own activity source: publish, send and consume spans with the trace context in the message headers.</summary>
    public const string MassTransitSourceName = "MassTransit";

    public const string RunIdAttribute = "calsync.run.id";
    public const string SyncIdAttribute = "calsync.sync.id";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The W3C <c>traceparent</c> of the current span, stored with a queued run so its later messages join the same trace.</summary>
    public static string? CurrentTraceParent => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// A span whose parent is <paramref name="traceParent"/> (stored with a run), so what the dispatcher re-publishes
    /// long after the request stays in the request's trace; a root span when there is none.
    /// </summary>
    public static Activity? StartFromStored(string name, ActivityKind kind, string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind, parentContext: default);
}

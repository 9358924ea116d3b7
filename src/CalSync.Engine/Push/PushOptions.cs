using System.ComponentModel.DataAnnotations;

namespace CalSync.Engine.Push;

/// <summary>
/// Google push notifications (section <c>Webhooks</c>, e.g. <c>Webhooks__PublicUrl</c>). Without a public
/// address no channel is created and syncs run on their schedules and manual triggers only.
/// </summary>
public sealed class PushOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>The address Google reaches CalSync's Api at; the webhook is <c>{PublicUrl}/webhooks/google</c>. Google requires https with a valid certificate.</summary>
    /// <remarks>Text, not <see cref="Uri"/>: a value that is no address must fail validation with a message, not binding.</remarks>
    public string? PublicUrl { get; set; }

    /// <summary>Requested channel lifetime; null asks for Google's default (a week for events).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "30.00:00:00")]
    public TimeSpan? ChannelTtl { get; set; }

    /// <summary>A channel is replaced at least this long before it expires.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Renewals are spread over this much time before <see cref="RenewBefore"/> (each channel draws its own
    /// moment), so a thousand channels created together are not renewed together.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RenewSpread { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often a worker makes the channels follow the syncs (one worker of the cluster at a time).</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many events.watch calls per round: a thousand new calendars are watched over several rounds.</summary>
    [Range(1, 10_000)]
    public int MaxWatchesPerRound { get; set; } = 50;

    /// <summary>After Google refused to watch a calendar, wait this long before trying again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureRetry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Notifications for one sync within this window become one run (the run queue coalesces the rest).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The webhook address Google posts to, or null when push is off.</summary>
    public Uri? WebhookAddress => Root is { } root ? new Uri(root, "webhooks/google") : null;

    /// <summary>The public address as an absolute URI ending in <c>/</c>, or null when unset or not an absolute address.</summary>
    public Uri? Root => !string.IsNullOrWhiteSpace(PublicUrl) && Uri.TryCreate(PublicUrl.TrimEnd('/') + "/", UriKind.Absolute, out var root)
        ? root
        : null;
}

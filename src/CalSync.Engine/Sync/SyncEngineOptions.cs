using System.ComponentModel.DataAnnotations;

namespace CalSync.Engine.Sync;

/// <summary>Engine settings (section <c>Sync</c>).</summary>
public sealed class SyncEngineOptions
{
    public const string SectionName = "Sync";

    /// <summary>A full window listing this often even when sync tokens work: the safety net against missed changes.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan FullListingInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A run deleting more than max(this, half the sync's links) stops and asks for confirmation.</summary>
    [Range(1, 100_000)]
    public int MassDeletionMinimum { get; set; } = 10;
}

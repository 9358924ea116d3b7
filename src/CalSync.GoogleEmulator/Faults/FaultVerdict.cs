using CalSync.GoogleEmulator.Api;

namespace CalSync.GoogleEmulator.Faults;

/// <summary>The answer a fault puts in place of a call; QuotaSpent tells a quota refusal from an injected error (the stats count only the former).</summary>
internal sealed record FaultVerdict(ApiResponse Response, bool QuotaSpent);

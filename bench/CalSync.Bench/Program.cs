using System.Globalization;
using CalSync.Bench;

// Usage: bench/run.sh [events=5000] [latencyMs=50] [changes=10]
// Needs CALSYNC_TEST_POSTGRES (bench/run.sh starts a private PostgreSQL and sets it).
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

await EngineBench.RunAsync(events: Arg(0, 5000), latencyMs: Arg(1, 50), changes: Arg(2, 10));

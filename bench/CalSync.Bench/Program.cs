using System.Globalization;
using CalSync.Bench;

// Usage (bench/run.sh passes its arguments on):
//   [engine] [events=5000] [latencyMs=50] [changes=10]    the engine bench (the default)
//   twoway [events=1000] [latencyMs=50]                   a first two-way sync of N + N events, paced at 600 calls a minute per account
//   workers [syncs=200] [latencyMs=50] [eventsPerSync=5]  throughput of 1, 2 and 4 worker processes
//   quota [eventsPerSync=100] [lowerQuotaEvents=500] [latencyMs=50]  Google's quota shared by workers, and a lower one found
//   dashboard [syncs=200] [runs=10000] [requests=50]      server time of every dashboard page for one person
//   push [syncs=100] [seconds=60] [editsPerSecond=5] [latencyMs=50] [workers=2]  edit → copy latency with push notifications
// Needs CALSYNC_TEST_POSTGRES, and for workers CALSYNC_TEST_RABBITMQ(_MANAGEMENT); bench/run.sh starts private servers.
const string Usage = "usage: bench/run.sh [engine] [events=5000] [latencyMs=50] [changes=10]\n" +
                     "       bench/run.sh twoway [events=1000] [latencyMs=50]\n" +
                     "       bench/run.sh workers [syncs=200] [latencyMs=50] [eventsPerSync=5]\n" +
                     "       bench/run.sh quota [eventsPerSync=100] [lowerQuotaEvents=500] [latencyMs=50]\n" +
                     "       bench/run.sh dashboard [syncs=200] [runs=10000] [requests=50]\n" +
                     "       bench/run.sh push [syncs=100] [seconds=60] [editsPerSecond=5] [latencyMs=50] [workers=2]";

var mode = args.Length > 0 && !int.TryParse(args[0], CultureInfo.InvariantCulture, out _) ? args[0] : "engine";
var rest = args.Length > 0 && args[0] == mode ? args[1..] : args;
if (rest.Any(a => !int.TryParse(a, CultureInfo.InvariantCulture, out var n) || n < 0))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
int Arg(int index, int fallback) => rest.Length > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;

switch (mode)
{
    case "engine":
        await EngineBench.RunAsync(events: Arg(0, 5000), latencyMs: Arg(1, 50), changes: Arg(2, 10));
        return 0;
    case "twoway":
        await EngineBench.RunTwoWayAsync(events: Arg(0, 1000), latencyMs: Arg(1, 50));
        return 0;
    case "workers":
        await WorkersBench.RunAsync(syncs: Arg(0, 200), latencyMs: Arg(1, 50), eventsPerSync: Arg(2, 5));
        return 0;
    case "quota":
        await QuotaBench.RunAsync(eventsPerSync: Arg(0, 100), lowerQuotaEvents: Arg(1, 500), latencyMs: Arg(2, 50));
        return 0;
    case "dashboard":
        await DashboardBench.RunAsync(syncs: Arg(0, 200), runs: Arg(1, 10000), requests: Arg(2, 50));
        return 0;
    case "push":
        await PushBench.RunAsync(syncs: Arg(0, 100), seconds: Arg(1, 60), editsPerSecond: Arg(2, 5), latencyMs: Arg(3, 50), workers: Arg(4, 2));
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

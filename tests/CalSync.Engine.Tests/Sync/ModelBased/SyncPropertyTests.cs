using CsCheck;

namespace CalSync.Engine.Tests.Sync.ModelBased;

/// <summary>
/// Model-based property test of the engine against the emulator and PostgreSQL: random copy rules, random edits
/// on both sides, rule changes, faults and syncs. Runs <c>CALSYNC_PROPERTY_ITERATIONS</c> scenarios (default 2,000); under
/// CI the seed is fixed (<c>CALSYNC_PROPERTY_SEED</c> overrides it), and a failure prints the seed
/// and the shrunk scenario that reproduce it.
/// </summary>
public sealed class SyncPropertyTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private const string CiSeed = "0000000000000";

    [Fact]
    public async Task Random_edits_faults_and_syncs_always_converge_without_duplicates()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("CALSYNC_PROPERTY_ITERATIONS"), out var n) ? n : 2_000;
        var seed = Environment.GetEnvironmentVariable("CALSYNC_PROPERTY_SEED")
            ?? (Environment.GetEnvironmentVariable("CI") == "true" ? CiSeed : null);

        await ScenarioGen.Scenarios.SampleAsync(
            async scenario =>
            {
                var s = await env.NewScenarioAsync(scenario.Direction, scenario.Policy, scenario.Privacy);
                await new ScenarioRunner(s).PlayAsync([scenario.RulesA, scenario.RulesB, .. scenario.Steps]);
            },
            seed: seed,
            iter: iterations,
            threads: 4,
            print: scenario => scenario.ToString());
    }
}

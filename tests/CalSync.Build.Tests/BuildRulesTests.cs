namespace CalSync.Build.Tests;

/// <summary>The build is the style guide: these prove that its rules bite, by building small projects for real.</summary>
public sealed class BuildRulesTests
{
    [Fact]
    public async Task Clean_code_builds()
    {
        using var project = ScratchProject.Create(
            """
            namespace Scratch;

            public static class Clock
            {
                public static DateTimeOffset Now(TimeProvider time) => time.GetUtcNow();
            }
            """);

        var (exitCode, output) = await project.BuildAsync();

        Assert.True(exitCode == 0, output);
    }

    [Theory]
    [InlineData("DateTime.UtcNow")]
    [InlineData("DateTime.Now")]
    [InlineData("DateTimeOffset.UtcNow")]
    [InlineData("DateTimeOffset.Now")]
    public async Task Reading_the_system_clock_directly_fails_the_build(string clock)
    {
        using var project = ScratchProject.Create(
            $$"""
            namespace Scratch;

            public static class Clock
            {
                public static object Now() => {{clock}};
            }
            """);

        var (exitCode, output) = await project.BuildAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error RS0030", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compiler_warning_fails_the_build()
    {
        using var project = ScratchProject.Create(
            """
            namespace Scratch;

            public static class Numbers
            {
                public static int One()
                {
                    int unused = 2;
                    return 1;
                }
            }
            """);

        var (exitCode, output) = await project.BuildAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error CS0219", output, StringComparison.Ordinal);
    }
}

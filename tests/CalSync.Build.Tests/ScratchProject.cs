using System.Diagnostics;

namespace CalSync.Build.Tests;

/// <summary>
/// A throwaway project inside the repository (under the git-ignored <c>artifacts/</c>), so that it gets
/// the same Directory.Build.props, analyzers and .editorconfig as CalSync's own code, built for real.
/// </summary>
internal sealed class ScratchProject : IDisposable
{
    private ScratchProject(string directory) => Directory = directory;

    public string Directory { get; }

    public static ScratchProject Create(string source)
    {
        var root = RepositoryRoot();
        var directory = Path.Combine(root, "artifacts", $"buildcheck-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Scratch.csproj"),
            """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Library</OutputType></PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Code.cs"), source);
        return new ScratchProject(directory);
    }

    public async Task<(int ExitCode, string Output)> BuildAsync()
    {
        var start = new ProcessStartInfo("dotnet", ["build", Directory, "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CalSync.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CalSync.sln not found above " + AppContext.BaseDirectory);
    }
}

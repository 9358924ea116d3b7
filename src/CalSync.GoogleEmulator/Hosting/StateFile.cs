using CalSync.GoogleEmulator.Seed;
using CalSync.GoogleEmulator.Store;
using Microsoft.Extensions.Options;

namespace CalSync.GoogleEmulator.Hosting;

/// <summary>
/// Gives the emulator a memory across restarts when <see cref="EmulatorOptions.StateFile"/> is set: the file is
/// restored before anything serves and written once the server has stopped, so no request changes the state
/// after it was saved. Without a file (or when the file is unreadable) the seed fills a fresh emulator.
/// </summary>
internal sealed partial class StateFile(EmulatorState state, SeedLoader seed, IOptions<EmulatorOptions> options, TimeProvider time,
    ILogger<StateFile> logger) : IHostedLifecycleService
{
    private string? Path => options.Value.StateFile is { Length: > 0 } path ? System.IO.Path.GetFullPath(path) : null;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (Path is not { } path || !File.Exists(path) || !TryRestore(path))
        {
            seed.Apply();
        }

        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (Path is { } path)
        {
            try
            {
                Save(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogNotSaved(logger, ex, path);
                throw;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>An admin reset: the emulator starts over, and so would the next process.</summary>
    public void Forget()
    {
        if (Path is { } path)
        {
            File.Delete(path);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private bool TryRestore(string path)
    {
        try
        {
            var snapshot = StateSnapshot.FromUtf8(File.ReadAllBytes(path));
            lock (state.Gate)
            {
                snapshot.RestoreInto(state);
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var events = state.Calendars.Values.Sum(c => c.Events.Count);
                    LogRestored(logger, state.Accounts.Count, state.Calendars.Count, events, path);
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Starting fresh beats refusing to start: this is a sandbox. The file is kept beside, not overwritten
            // by the next save, so whoever cares can still look at it.
            lock (state.Gate)
            {
                state.Reset();
            }

            var aside = path + ".unreadable-" + time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var moved = TryMove(path, aside);
            LogUnreadable(logger, ex, path, ex.Message, moved ? aside : "(could not be moved)");
            return false;
        }
    }

    private static bool TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void Save(string path)
    {
        byte[] bytes;
        int accounts, events;
        lock (state.Gate)
        {
            bytes = StateSnapshot.Capture(state).ToUtf8();
            accounts = state.Accounts.Count;
            events = state.Calendars.Values.Sum(c => c.Events.Count);
        }

        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        // Written beside and renamed over the old file: a crash mid-write leaves the previous state whole.
        // The file holds live refresh tokens, so only its owner may read it.
        var temporary = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, fileOptions))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        LogSaved(logger, accounts, events, path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored {Accounts} accounts, {Calendars} calendars and {Events} events from {Path}")]
    private static partial void LogRestored(ILogger logger, int accounts, int calendars, int events, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Saved {Accounts} accounts and {Events} events to {Path}")]
    private static partial void LogSaved(ILogger logger, int accounts, int events, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "The emulator state could not be saved to {Path}; the file still holds what the previous stop saved, if anything")]
    private static partial void LogNotSaved(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "The emulator state in {Path} could not be restored ({Reason}); starting from the seed instead. The file was moved to {Aside}")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string path, string reason, string aside);
}

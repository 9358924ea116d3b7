using System.Net;
using CalSync.Engine.Google;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// A process that dies after Google accepted <paramref name="writes"/> writes: however the engine hands them
/// over, the first ones go through and the call that would pass the limit fails once they did. Records the
/// size of every hand-over.
/// </summary>
internal sealed class DiesAfterWrites(ICalendarSide inner, int writes) : DelegatingSide(inner)
{
    private int _left = writes;

    public List<int> HandOvers { get; } = [];

    public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
    {
        HandOvers.Add(operations.Count);
        if (operations.Count <= _left)
        {
            _left -= operations.Count;
            return await Inner.ExecuteAsync(operations, cancellationToken);
        }
        await Inner.ExecuteAsync([.. operations.Take(_left)], cancellationToken);
        _left = 0;
        throw new SimulatedCrashException();
    }
}

/// <summary>Google answering one batch with a rate limit for its first part only; every other part goes through.</summary>
internal sealed class RateLimitsFirstPart(ICalendarSide inner) : DelegatingSide(inner)
{
    private bool _fired;

    public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
    {
        if (_fired || operations.Count == 0)
        {
            return await Inner.ExecuteAsync(operations, cancellationToken);
        }
        _fired = true;
        var first = operations[0];
        var rest = await Inner.ExecuteAsync([.. operations.Skip(1)], cancellationToken);
        var limited = new BatchResult(first, HttpStatusCode.TooManyRequests, null,
            new GoogleApiException(first.MethodId, HttpStatusCode.TooManyRequests, GoogleErrorReasons.RateLimitExceeded, "Rate Limit Exceeded"));
        return [limited, .. rest];
    }
}

/// <summary>
/// Two sides that prove they are used at the same time: each side's first listing waits until the other
/// side's first listing has begun, and likewise its first write. Used one after the other, the first to go
/// waits in vain and fails after <paramref name="patience"/>.
/// </summary>
internal sealed class OverlapGate(TimeSpan patience)
{
    private readonly Dictionary<(Side, string), TaskCompletionSource> _began = new()
    {
        [(Side.A, "list")] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        [(Side.B, "list")] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        [(Side.A, "write")] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        [(Side.B, "write")] = new(TaskCreationOptions.RunContinuationsAsynchronously),
    };

    public ICalendarSide Wrap(Side side, ICalendarSide inner) => new Gated(this, side, inner);

    private async Task PassAsync(Side side, string what)
    {
        _began[(side, what)].TrySetResult();
        var other = _began[(side.Other(), what)].Task;
        if (!other.IsCompleted)
        {
            try
            {
                await other.WaitAsync(patience);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"Side {side}'s first {what} waited {patience} for side {side.Other()}'s: the sides were not used at the same time.", ex);
            }
        }
    }

    private sealed class Gated(OverlapGate gate, Side side, ICalendarSide inner) : DelegatingSide(inner)
    {
        public override async Task<EventListResult> ListAsync(EventListQuery query, CancellationToken cancellationToken)
        {
            await gate.PassAsync(side, "list");
            return await Inner.ListAsync(query, cancellationToken);
        }

        public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
        {
            if (operations.Count > 0)
            {
                await gate.PassAsync(side, "write");
            }
            return await Inner.ExecuteAsync(operations, cancellationToken);
        }
    }
}

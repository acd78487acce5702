using Microsoft.Extensions.Time.Testing;

namespace Marcel.Web.Tests.Support;

/// <summary>
/// A fake clock that knows when something waits on it: it counts the one-shot timers armed and not yet fired (the
/// notice window, the shutdown grace), so a test moves time only while something is waiting for it, instead of
/// stepping it on a real-time poll. Periodic timers (the idle sweep) are not counted: they always wait.
/// </summary>
internal sealed class WatchedClock : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private int _waiting;
    private TaskCompletionSource _armed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(static t => ((WatchedTimer)t!).Fire(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once a one-shot timer is waiting on this clock (at once when one already is).</summary>
    public Task SomethingWaitsAsync()
    {
        lock (_gate) return _waiting > 0 ? Task.CompletedTask : _armed.Task;
    }

    /// <summary>
    /// Moves the clock on in 100 ms steps while something waits on it, until <paramref name="task"/> is done; between
    /// steps it awaits the next timer armed (or the task), never the wall clock.
    /// </summary>
    public async Task WhileTimePassesAsync(Task task)
    {
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, SomethingWaitsAsync()).WaitAsync(Timeouts.StepToken());
            Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield(); // Let what the step released run before looking again.
        }

        await task;
    }

    private void Waits(bool before, bool after)
    {
        if (before == after) return;
        lock (_gate)
        {
            _waiting += after ? 1 : -1;
            if (after && _waiting == 1)
            {
                _armed.TrySetResult();
                _armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private sealed class WatchedTimer(WatchedClock clock, TimerCallback callback, object? state) : ITimer
    {
        private bool _oneShot;

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool oneShot = dueTime != Timeout.InfiniteTimeSpan && (period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero);
            Swap(oneShot);
            return Inner.Change(dueTime, period);
        }

        public void Fire()
        {
            Swap(false);
            callback(state);
        }

        public void Dispose()
        {
            Swap(false);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Swap(bool oneShot)
        {
            bool before;
            lock (this)
            {
                before = _oneShot;
                _oneShot = oneShot;
            }

            clock.Waits(before, oneShot);
        }
    }
}

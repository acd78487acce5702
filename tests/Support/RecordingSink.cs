using Marcel.Core.Chat.Bus;
using Marcel.Core.Chat.Events;

namespace Marcel.Tests.Support;

/// <summary>
/// Records what a bus delivers, and lets a test await a condition on it: each delivery wakes the waiters, so nothing
/// polls. A condition may also read state the delivering code updated before it delivered (a bus's roster mirror).
/// </summary>
public sealed class RecordingSink : IRoomEventSink
{
    private readonly object _gate = new();
    private readonly List<RoomEvent> _events = [];
    private readonly List<(Func<bool> Done, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>A copy of what arrived so far, in arrival order.</summary>
    public IReadOnlyList<RoomEvent> Events
    {
        get
        {
            lock (_gate) return [.. _events];
        }
    }

    public void Deliver(RoomEvent roomEvent)
    {
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            _events.Add(roomEvent);
            _waiters.RemoveAll(w => w.Done() && Add(ready, w.Signal));
        }

        foreach (TaskCompletionSource signal in ready) signal.TrySetResult();
    }

    /// <summary>Completes once <paramref name="done"/> holds (checked now and after every delivery), within <paramref name="bound"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> done, TimeSpan bound, string what)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (done()) return;
            _waiters.Add((done, signal));
        }

        try
        {
            await signal.Task.WaitAsync(bound, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"not within {bound.TotalSeconds} s: {what}; {Events.Count} event(s) arrived");
        }
    }

    /// <summary>Completes once an event matching <paramref name="match"/> has arrived.</summary>
    public Task WaitAsync(Func<RoomEvent, bool> match, TimeSpan? bound = null) =>
        WaitUntilAsync(() => _events.Any(match), bound ?? Timeouts.Step, "a matching event");

    /// <summary>Completes once <paramref name="count"/> events have arrived.</summary>
    public Task WaitForCountAsync(int count, TimeSpan bound) =>
        WaitUntilAsync(() => _events.Count >= count, bound, $"{count} events");

    /// <summary>Completes once a notice reading <paramref name="text"/> has arrived.</summary>
    public Task WaitForNoticeAsync(string text) => WaitAsync(e => e is RoomNotice n && n.Text == text);

    private static bool Add(List<TaskCompletionSource> ready, TaskCompletionSource signal)
    {
        ready.Add(signal);
        return true;
    }
}

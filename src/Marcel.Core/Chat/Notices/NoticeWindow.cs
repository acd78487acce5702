using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Notices;

/// <summary>
/// Holds joins, leaves and renames for <see cref="ChatOptions.NoticeWindow"/> from the first one, then hands them
/// over together: a crowd arriving at once costs a few notices, not one per pair of people. The window runs on the
/// room's <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
internal sealed class NoticeWindow : IDisposable
{
    private readonly List<RoomEvent> _pending = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly Action _due;
    private ITimer? _timer;
    private volatile bool _open;

    /// <summary>A window of <paramref name="window"/>; <paramref name="due"/> is called (on a timer thread) when it closes.</summary>
    public NoticeWindow(TimeProvider time, TimeSpan window, Action due)
    {
        _time = time;
        _window = window;
        _due = due;
    }

    /// <summary>True while events wait: a line about to be delivered first has them delivered.</summary>
    public bool HasPending => _open;

    /// <summary>Adds <paramref name="roomEvent"/>; the first one of a window starts its clock.</summary>
    public void Add(RoomEvent roomEvent)
    {
        lock (_pending)
        {
            _pending.Add(roomEvent);
            if (_open)
            {
                return;
            }

            _open = true;
            _timer ??= _time.CreateTimer(static state => ((NoticeWindow)state!)._due(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(_window, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Takes what waits and closes the window (empty when nothing did).</summary>
    public RoomEvent[] Take()
    {
        lock (_pending)
        {
            if (!_open)
            {
                return [];
            }

            RoomEvent[] taken = [.. _pending];
            _pending.Clear();
            _open = false;
            return taken;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();
}

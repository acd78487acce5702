using Marcel.Core.Chat.Members;

namespace Marcel.Core.Chat.Room;

/// <summary>
/// With an idle timeout, one sweep for the whole room (no timer per member) asks who has been quiet too long to
/// leave. It runs on the room's <see cref="TimeProvider"/>: every quarter of the timeout, between 10 ms and 1 s.
/// </summary>
internal static class IdleSweep
{
    /// <summary>Starts the sweep, or returns null without an idle timeout; dispose to stop it.</summary>
    public static ITimer? Start(ChatRoom room)
    {
        if (room.Options.IdleTimeout is not { } idle)
        {
            return null;
        }

        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        return room.Time.CreateTimer(static state => Sweep((ChatRoom)state!), room, period, period);
    }

    /// <summary>Stops every member whose last line is at least the timeout old.</summary>
    public static void Sweep(ChatRoom room)
    {
        TimeSpan idle = room.Options.IdleTimeout.GetValueOrDefault();
        long now = room.Time.GetTimestamp();
        foreach (IRoomMember member in room.Members.Snapshot())
        {
            if (room.Time.GetElapsedTime(member.LastHeard, now) >= idle)
            {
                member.Dismiss(ChatCloseReason.Idle);
            }
        }
    }
}

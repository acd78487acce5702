namespace Marcel.Core.Chat.Members;

/// <summary>
/// Lets a thread that delivers to members whose write never waits (<see cref="QueuedMember.WritesWithoutWaiting"/>:
/// datagram members) run their drains itself, once it has left the room's locks, instead of waking a thread-pool
/// worker per member: the UDP receive thread reads a datagram, the room fans it out, and the same thread sends the
/// copies, as socat does. At most <see cref="MaxPerScope"/> drains a scope: past that (a large room) the rest go to the
/// pool as every other drain, so one thread never sends a whole fan-out while the next datagrams wait.
/// </summary>
internal static class InlineDrains
{
    /// <summary>Drains one scope runs itself at most.</summary>
    public const int MaxPerScope = 32;

    [ThreadStatic]
    private static List<QueuedMember>? t_deferred;

    [ThreadStatic]
    private static bool t_collecting;

    /// <summary>
    /// Starts collecting on this thread (a nested call collects into the outer scope). Disposing the scope, outside
    /// every lock, runs the drains collected, in the order their first delivery came.
    /// </summary>
    public static Scope Collect()
    {
        if (t_collecting)
        {
            return default;
        }

        t_collecting = true;
        return new Scope(owner: true);
    }

    /// <summary>Takes <paramref name="member"/>'s drain for the current scope; false when there is none or it is full.</summary>
    public static bool TryDefer(QueuedMember member)
    {
        if (!t_collecting)
        {
            return false;
        }

        List<QueuedMember> deferred = t_deferred ??= new List<QueuedMember>(MaxPerScope);
        if (deferred.Count >= MaxPerScope)
        {
            return false;
        }

        deferred.Add(member);
        return true;
    }

    /// <summary>A collecting scope; see <see cref="Collect"/>.</summary>
    public readonly struct Scope(bool owner) : IDisposable
    {
        public void Dispose()
        {
            if (!owner)
            {
                return;
            }

            t_collecting = false; // A delivery made by a drain below goes to the pool.
            List<QueuedMember>? deferred = t_deferred;
            if (deferred is null)
            {
                return;
            }

            try
            {
                foreach (QueuedMember member in deferred)
                {
                    member.DrainHere();
                }
            }
            finally
            {
                deferred.Clear();
            }
        }
    }
}

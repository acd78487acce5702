using Marcel.Redis.Resources;

namespace Marcel.Redis;

/// <summary>
/// Whether the room is split (Redis away), and saying so once: the first failure after the room was whole tells this
/// server's members and console, and the failures after it say nothing until the room is whole again. A Redis that
/// hangs fails every heartbeat and every reconnection attempt, each after the command timeout: without this the
/// members and the log would hear of each one.
/// </summary>
/// <param name="tell">Says a line to this server's members and console.</param>
internal sealed class SplitNotice(Action<string> tell)
{
    private readonly object _gate = new();
    // Split until the room first joined Redis: nothing goes on the bus before that.
    private volatile bool _split = true;
    private bool _armed;
    private bool _told;

    /// <summary>True while Redis is away (and before the room first joined it): this server's members only hear each other.</summary>
    public bool IsSplit => _split;

    /// <summary>From now on a split is told (before, the room has nobody to tell).</summary>
    public void Arm()
    {
        lock (_gate) _armed = true;
    }

    /// <summary>The room is split; says so unless it was said already.</summary>
    /// <returns>True when this call is the one that told (so its cause is worth a log line); false when it was known.</returns>
    public bool Enter()
    {
        _split = true;
        lock (_gate)
        {
            if (_told || !_armed)
            {
                return false;
            }

            _told = true;
        }

        tell(RedisStrings.Split);
        return true;
    }

    /// <summary>The room is whole; says so if a split was told.</summary>
    public void Leave()
    {
        _split = false;
        lock (_gate)
        {
            if (!_told)
            {
                return; // Whole from the start: nothing to say.
            }

            _told = false;
        }

        tell(RedisStrings.Whole);
    }
}

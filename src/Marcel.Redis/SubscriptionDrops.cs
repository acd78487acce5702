using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>
/// Tells a subscription Redis dropped on its own (a slow subscriber past <c>client-output-buffer-limit pubsub</c>) from
/// one lost with everything else (Redis restarted, hung, or the network gone): only the first is worth saying as such,
/// since the other is told as a split. The client reports each connection apart and in either order, so a drop counts
/// as alone when the command connection was up when the subscription went and did not fail until it came back.
/// </summary>
internal sealed class SubscriptionDrops
{
    private readonly object _gate = new();
    private bool _interactiveDown;
    private long _interactiveFailures;
    private bool _lostAlone;
    private long _failuresWhenLost;

    /// <summary>A connection failed (the client's <c>ConnectionFailed</c>).</summary>
    public void Failed(ConnectionType connection)
    {
        lock (_gate)
        {
            if (connection == ConnectionType.Subscription)
            {
                _lostAlone = !_interactiveDown;
                _failuresWhenLost = _interactiveFailures;
            }
            else
            {
                _interactiveDown = true;
                _interactiveFailures++;
            }
        }
    }

    /// <summary>A connection is back (the client's <c>ConnectionRestored</c>).</summary>
    /// <returns>True when it is the subscription, and Redis had dropped it alone.</returns>
    public bool Restored(ConnectionType connection)
    {
        lock (_gate)
        {
            if (connection != ConnectionType.Subscription)
            {
                _interactiveDown = false;
                return false;
            }

            bool alone = _lostAlone && _interactiveFailures == _failuresWhenLost;
            _lostAlone = false;
            return alone;
        }
    }
}

using System.Net;
using Marcel.Core.Transport;

namespace Marcel.Core.Chat.Udp;

/// <summary>
/// How many datagram members one IP address may have in the room: at most <see cref="Max"/> at once, and joins from it
/// rate-limited (<see cref="Max"/> at once, then one per <see cref="DatagramMembers.JoinInterval"/>), so that one
/// machine on many ports, or one forged address, neither fills the room nor has its members join and leave in a loop,
/// each join and leave told to everyone. Memory: one count per address with members, and the join limit's table
/// (bounded). Thread-safe.
/// </summary>
internal sealed class AddressQuota(TimeProvider time, int max, int maxClients)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _members = [];
    private readonly AddressRateLimit _joins = new(time, max, DatagramMembers.JoinInterval, Math.Max(TurnAwayLimiter.MaxTracked, maxClients));

    /// <summary>Datagram members per address at most.</summary>
    public int Max { get; } = max;

    /// <summary>True (and counted) when <paramref name="address"/> may seat one more member now; <see cref="Release"/> it when it leaves.</summary>
    public bool TryTake(IPAddress address)
    {
        lock (_lock)
        {
            int count = _members.GetValueOrDefault(address);
            if (count >= Max || !_joins.TryTake(address))
            {
                return false;
            }

            _members[address] = count + 1;
            return true;
        }
    }

    /// <summary>A member of <paramref name="address"/> left (or never sat down).</summary>
    public void Release(IPAddress address)
    {
        lock (_lock)
        {
            int count = _members.GetValueOrDefault(address);
            if (count <= 1)
            {
                _members.Remove(address);
            }
            else
            {
                _members[address] = count - 1;
            }
        }
    }
}

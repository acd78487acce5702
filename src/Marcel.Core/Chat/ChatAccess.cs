using System.Net;

namespace Marcel.Core.Chat;

/// <summary>
/// Who may enter the room, by address: a client matching any <see cref="Deny"/> network is refused; when
/// <see cref="Allow"/> is not empty, a client must match one of its networks. IPv4 clients seen on a dual-stack
/// socket (<c>::ffff:a.b.c.d</c>) are matched as IPv4.
/// </summary>
/// <param name="Allow">Networks let in (empty: everyone not denied).</param>
/// <param name="Deny">Networks kept out; they win over <paramref name="Allow"/>.</param>
public sealed record ChatAccess(IReadOnlyList<IPNetwork> Allow, IReadOnlyList<IPNetwork> Deny)
{
    /// <summary>No rule: everyone may enter.</summary>
    public static ChatAccess Everyone { get; } = new([], []);

    /// <summary>True when <paramref name="remote"/> may enter; an unknown address (not IP) is let in only without an allow list.</summary>
    public bool Admits(EndPoint? remote)
    {
        if (remote is not IPEndPoint ip)
        {
            return Allow.Count == 0;
        }

        IPAddress address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        foreach (IPNetwork network in Deny)
        {
            if (network.Contains(address)) return false;
        }

        if (Allow.Count == 0)
        {
            return true;
        }

        foreach (IPNetwork network in Allow)
        {
            if (network.Contains(address)) return true;
        }

        return false;
    }
}

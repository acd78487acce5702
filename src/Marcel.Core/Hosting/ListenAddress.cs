using System.Net;
using System.Net.Sockets;

namespace Marcel.Core.Hosting;

/// <summary>Turns a <c>--host</c> value into the endpoints to bind.</summary>
internal static class ListenAddress
{
    /// <summary>The address as a user writes it, for messages: <c>host:port</c>, IPv6 literals in brackets.</summary>
    public static string Display(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary><see cref="ResolveAsync"/> for a server: a name that does not resolve is a <see cref="ServerBindException"/>.</summary>
    internal static async Task<IReadOnlyList<IPEndPoint>> ResolveToBindAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            return await ResolveAsync(host, port, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new ServerBindException(Display(host, port), BindFailure.UnknownHost, e);
        }
    }

    /// <summary>
    /// <c>localhost</c> means both loopbacks (IPv4 and IPv6) as Kestrel's <c>ListenLocalhost</c> would, except with port 0
    /// where only 127.0.0.1 is bound (one ephemeral port cannot be promised on two sockets); <c>*</c> means every
    /// interface; an IP literal is bound as it is; any other name is resolved and each address bound.
    /// </summary>
    public static async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        string trimmed = host.Trim('[', ']');
        if (string.Equals(trimmed, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return port == 0 || !Socket.OSSupportsIPv6
                ? [new IPEndPoint(IPAddress.Loopback, port)]
                : [new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.IPv6Loopback, port)];
        }

        if (trimmed == "*")
        {
            return [new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port)];
        }

        if (IPAddress.TryParse(trimmed, out IPAddress? literal))
        {
            return [new IPEndPoint(literal, port)];
        }

        IPAddress[] addresses = await Dns.GetHostAddressesAsync(trimmed, cancellationToken);
        return addresses.Distinct().Select(a => new IPEndPoint(a, port)).ToArray();
    }
}

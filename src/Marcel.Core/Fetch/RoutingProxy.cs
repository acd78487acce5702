using System.Collections.Concurrent;
using System.Net;

namespace Marcel.Core.Fetch;

/// <summary>
/// The <see cref="IWebProxy"/> handed to SocketsHttpHandler: it answers with the routes <see cref="ProxyResolver"/>
/// chose before each request (resolution errors must surface before sending: the handler swallows a proxy's
/// exceptions), and gives each proxy its own credentials for a 407 challenge and for CONNECT.
/// </summary>
internal sealed class RoutingProxy : IWebProxy, ICredentials
{
    private readonly ConcurrentDictionary<Uri, ProxyRoute?> _routes = new();

    public RoutingProxy()
    {
        Credentials = this;
    }

    public ICredentials? Credentials { get; set; }

    /// <summary>Records the route for <paramref name="target"/> (null: direct).</summary>
    public void Use(Uri target, ProxyRoute? route) => _routes[target] = route;

    public Uri? GetProxy(Uri destination) => _routes.TryGetValue(destination, out ProxyRoute? route) ? route?.Address : null;

    public bool IsBypassed(Uri host) => GetProxy(host) is null;

    public NetworkCredential? GetCredential(Uri uri, string authType) =>
        _routes.Values.FirstOrDefault(r => r is not null && r.Address == uri)?.Credentials;
}

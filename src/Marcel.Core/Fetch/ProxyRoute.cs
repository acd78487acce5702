using System.Net;

namespace Marcel.Core.Fetch;

/// <summary>A proxy chosen for one URL: where it is, the credentials to give it, and which setting named it.</summary>
/// <param name="Address">The proxy's URL, without user information (<c>http://host:port</c>, <c>socks5://…</c>).</param>
/// <param name="Credentials">Basic credentials for the proxy, or null.</param>
/// <param name="Source">Where it came from: <c>--proxy</c> or the name of the environment variable.</param>
internal sealed record ProxyRoute(Uri Address, NetworkCredential? Credentials, string Source);

using Marcel.Core.Hosting;
using Marcel.Core.Security;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Support;

/// <summary>The one TCP host on 127.0.0.1, started with the test's cancellation.</summary>
internal static class TestHost
{
    public static Task<TcpServerHost> StartAsync(
        Func<IServerConnection, Task> onConnection, ServerLimits? limits = null, TlsServerOptions? tls = null, int port = 0) =>
        TcpServerHost.StartAsync("127.0.0.1", port, onConnection, NullLoggerFactory.Instance, tls, limits, TestContext.Current.CancellationToken);

    /// <summary>The port the host listens on.</summary>
    public static int Port(this TcpServerHost host) => host.BoundEndPoints[0].Port;

    /// <summary>The accepted socket under a connection the host handed out (for its options).</summary>
    public static System.Net.Sockets.Socket Socket(this IServerConnection connection) => ((TcpServerConnection)connection).Socket;
}

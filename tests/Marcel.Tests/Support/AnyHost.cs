using Marcel.Core.Hosting;
using Marcel.Core.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Support;

/// <summary>
/// Either of the two hosts the servers stand on (Kestrel's <see cref="LineServerHost"/> for the dialogue, bare-socket
/// <see cref="SocketServerHost"/> for the chat room), for tests of what both must do alike.
/// </summary>
internal sealed class AnyHost : IAsyncDisposable
{
    public const string Kestrel = "kestrel";
    public const string Sockets = "sockets";

    private readonly LineServerHost? _kestrel;
    private readonly SocketServerHost? _sockets;

    private AnyHost(LineServerHost? kestrel, SocketServerHost? sockets)
    {
        _kestrel = kestrel;
        _sockets = sockets;
    }

    /// <summary>Both kinds, for a <c>[Theory]</c>.</summary>
    public static TheoryData<string> Kinds => new(Kestrel, Sockets);

    public int Port => (_kestrel?.BoundEndPoints ?? _sockets!.BoundEndPoints)[0].Port;

    public int ConnectionCount => _kestrel?.ConnectionCount ?? _sockets!.ConnectionCount;

    public static async Task<AnyHost> StartAsync(
        string kind, Func<ConnectionContext, Task> onConnection, ServerLimits? limits = null, TlsServerOptions? tls = null, int port = 0)
    {
        CancellationToken token = TestContext.Current.CancellationToken;
        return kind switch
        {
            Kestrel => new AnyHost(
                await LineServerHost.StartAsync("127.0.0.1", port, onConnection, NullLoggerFactory.Instance,
                    tls is null ? null : TlsListener.Configure(tls), limits, cancellationToken: token), null),
            Sockets => new AnyHost(null, await SocketServerHost.StartAsync("127.0.0.1", port, onConnection, NullLoggerFactory.Instance, tls, limits, token)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "kestrel or sockets"),
        };
    }

    public Task StopAsync() => _kestrel?.StopAsync() ?? _sockets!.StopAsync();

    public async ValueTask DisposeAsync()
    {
        if (_kestrel is not null)
        {
            await _kestrel.DisposeAsync();
        }

        if (_sockets is not null)
        {
            await _sockets.DisposeAsync();
        }
    }
}

using System.Net;
using System.Threading.Channels;
using Marcel.Core.Transport;
using Microsoft.AspNetCore.Connections;

namespace Marcel.Web.Transport;

/// <summary>
/// Kestrel's transport for the browser room, which binds nothing: the connections are accepted by
/// <see cref="Core.Hosting.TcpServerHost"/> (bind errors, limits, keepalive, TLS, access checks) and handed over here
/// (<see cref="ServeAsync"/>), one <see cref="HandOffConnection"/> each, for Kestrel to parse their HTTP. Registered as
/// Kestrel's only <see cref="IConnectionListenerFactory"/>; every endpoint Kestrel is told to listen on is this one listener.
/// </summary>
internal sealed class HandOffListener : IConnectionListenerFactory, IConnectionListener
{
    // Not a single reader: UnbindAsync empties it while Kestrel's accept loop may still be reading.
    private readonly Channel<HandOffConnection> _accepted = Channel.CreateUnbounded<HandOffConnection>();

    private EndPoint? _endPoint;

    /// <inheritdoc />
    public EndPoint EndPoint => _endPoint ?? throw new InvalidOperationException("Not bound yet.");

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        _endPoint = endpoint; // Already bound by the host: Kestrel only learns what to call it.
        return ValueTask.FromResult<IConnectionListener>(this);
    }

    /// <summary>
    /// Gives <paramref name="connection"/> to Kestrel. Completes with null once Kestrel has let go of it (or never took
    /// it, having stopped), for the host to close it; or with the socket a request handler detached for a WebSocket.
    /// </summary>
    public Task<DetachedSocket?> ServeAsync(TcpServerConnection connection, bool secure)
    {
        var handOff = new HandOffConnection(connection, secure);
        return _accepted.Writer.TryWrite(handOff) ? handOff.Outcome : Task.FromResult<DetachedSocket?>(null);
    }

    /// <inheritdoc />
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            return null; // Unbound: Kestrel's accept loop ends.
        }
    }

    /// <summary>Stops handing connections to Kestrel; the ones it has not accepted yet are handed back to the host to close.</summary>
    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out HandOffConnection? left))
        {
            left.Refuse();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => UnbindAsync();
}

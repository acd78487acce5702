using System.Net;
using System.Net.Sockets;

namespace Marcel.Core.Transport;

/// <summary>
/// The one receive loop of a datagram server, per bound socket: the dialogue (<c>serve --udp</c>) and the room's
/// datagram members share it. It drops what nobody can be answered at (a forged or broadcast source, a datagram sent
/// to a group: answering would reflect traffic at a whole network) before any handler sees it, hands every other
/// datagram to the <see cref="IDatagramHandler"/> in arrival order, and stops when disposed.
/// </summary>
public sealed class DatagramReceiver : IAsyncDisposable
{
    private readonly IDatagramHandler _handler;
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _receiving = [];

    /// <summary>A receiver for <paramref name="sockets"/> (owned from now on: disposing the receiver closes them); <see cref="Start"/> begins.</summary>
    public DatagramReceiver(IReadOnlyList<DatagramSocket> sockets, IDatagramHandler handler)
    {
        Sockets = sockets ?? throw new ArgumentNullException(nameof(sockets));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        Stopping = _stopping.Token; // Kept: still readable (and cancelled) once the receiver is disposed.
    }

    /// <summary>The sockets received on.</summary>
    public IReadOnlyList<DatagramSocket> Sockets { get; }

    /// <summary>The addresses and ports bound.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => Sockets.Select(s => s.LocalEndPoint).ToArray();

    /// <summary>Fires when the receiver stops: for the handler's own sends and waits.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Starts one receive loop per socket (once, after the handler is ready to be called).</summary>
    public void Start()
    {
        if (_receiving.Length == 0)
        {
            _receiving = Sockets.Select(ReceiveLoopAsync).ToArray();
        }
    }

    /// <summary>Stops receiving and closes the sockets; completes once every loop has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (DatagramSocket socket in Sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_receiving);
        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(DatagramSocket socket)
    {
        await Task.Yield(); // Off the starting thread: Start returns at once.
        CancellationToken stopping = Stopping;
        try
        {
            while (true)
            {
                Datagram datagram = await socket.ReceiveFromAsync(stopping);
                if (datagram.FromNowhere || datagram.ToGroup)
                {
                    _handler.Unanswerable(datagram);
                    continue;
                }

                await _handler.ReceivedAsync(socket, datagram, stopping);
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: the socket was closed under the receive.
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _handler.ReceiveFailed(socket.LocalEndPoint, e);
        }
    }
}

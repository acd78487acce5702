using System.Net;
using System.Net.Sockets;

namespace Marcel.Core.Transport;

/// <summary>
/// The one receive loop of a datagram server, per bound socket: the dialogue (<c>serve --udp</c>) and the room's
/// datagram members share it. It drops what nobody can be answered at (a forged or broadcast source, a datagram sent
/// to a group: answering would reflect traffic at a whole network) before any handler sees it, hands every other
/// datagram to the <see cref="IDatagramHandler"/> in arrival order, and stops when disposed.
/// </summary>
/// <remarks>
/// Each loop is a thread of its own, blocked in the system's receive (as socat's is), not an async loop: an async
/// receive is woken on .NET's socket event thread and handed to a thread-pool worker, and that hand-off (a futex wake,
/// a worker spinning and sleeping) was nearly all the CPU a relayed datagram cost (perf: 70 µs a datagram against
/// socat's 21, the code itself a few per cent). Here the kernel wakes the thread that reads, handles and (for the
/// room's datagram members) sends: one wake-up per datagram. A handler that must wait (a join through Redis) blocks
/// this thread meanwhile, as the async loop waited before the next receive. Stopping ends the receives (see
/// <see cref="DatagramSocket.ReceiveFrom"/>).
/// </remarks>
public sealed class DatagramReceiver : IAsyncDisposable
{
    private readonly IDatagramHandler _handler;
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource[] _receiving = [];

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

    /// <summary>Starts one receive thread per socket (once, after the handler is ready to be called).</summary>
    public void Start()
    {
        if (_receiving.Length != 0)
        {
            return;
        }

        _receiving = Sockets.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        for (int i = 0; i < Sockets.Count; i++)
        {
            DatagramSocket socket = Sockets[i];
            TaskCompletionSource ended = _receiving[i];
            var thread = new Thread(() => ReceiveLoop(socket, ended))
            {
                IsBackground = true,
                Name = "marcel udp " + socket.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            thread.Start();
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

        await Task.WhenAll(_receiving.Select(r => r.Task));
        _stopping.Dispose();
    }

    private void ReceiveLoop(DatagramSocket socket, TaskCompletionSource ended)
    {
        CancellationToken stopping = Stopping;
        try
        {
            while (true)
            {
                Datagram datagram = socket.ReceiveFrom(stopping);
                if (datagram.FromNowhere || datagram.ToGroup)
                {
                    _handler.Unanswerable(datagram);
                    continue;
                }

                ValueTask handled = _handler.ReceivedAsync(socket, datagram, stopping);
                if (!handled.IsCompletedSuccessfully)
                {
                    // Rare (a join that waits for the bus): the next datagram waits for this one, as its payload must.
                    handled.AsTask().GetAwaiter().GetResult();
                }
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
        catch (Exception e)
        {
            // A bug in a handler: the loop ends, as the async loop's task faulted before; DisposeAsync rethrows it.
            ended.TrySetException(e);
            return;
        }

        ended.TrySetResult();
    }
}

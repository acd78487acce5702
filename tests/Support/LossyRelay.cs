using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marcel.Tests.Support;

/// <summary>What <see cref="LossyRelay"/> does to one datagram.</summary>
internal enum Fate
{
    /// <summary>Forwarded once.</summary>
    Pass,

    /// <summary>Never forwarded: a lost datagram.</summary>
    Drop,

    /// <summary>Forwarded twice in a row: a doubled datagram.</summary>
    Double,

    /// <summary>Held and forwarded right after the next datagram that goes through: the two swap. Lost if none follows.</summary>
    Hold,
}

/// <summary>
/// A UDP forwarder on 127.0.0.1 between datagram peers and one server that loses, doubles and reorders datagrams on a
/// schedule, in both directions: these machines' kernel has no <c>sch_netem</c>. Each client address gets its own
/// socket towards the server, so the server sees one peer per client. Each direction decides the fate of its
/// datagrams one at a time, in arrival order, so a seeded schedule gives the same fates on every run, and records
/// what it forwarded in the order it went out: what a peer on the other side must see, no more, no less.
/// </summary>
internal sealed class LossyRelay : IAsyncDisposable
{
    private readonly Socket _front;
    private readonly IPEndPoint _server;
    private readonly ConcurrentDictionary<IPEndPoint, Socket> _backs = new();
    private readonly ConcurrentBag<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();

    public LossyRelay(IPEndPoint server, Func<int, string, Fate> toServer, Func<int, string, Fate> toClient)
    {
        _server = server;
        ToServer = new Lane(toServer);
        ToClient = new Lane(toClient);
        _front = Bound();
        _loops.Add(FrontLoopAsync());
    }

    /// <summary>Datagrams from the clients on their way to the server.</summary>
    public Lane ToServer { get; }

    /// <summary>Datagrams from the server on their way to the clients.</summary>
    public Lane ToClient { get; }

    /// <summary>Where clients send: the relay's own port.</summary>
    public int Port => ((IPEndPoint)_front.LocalEndPoint!).Port;

    /// <summary>Every datagram passes.</summary>
    public static Fate Clean(int index, string text) => Fate.Pass;

    /// <summary>
    /// Fates drawn from a <see cref="Random"/> seeded with <paramref name="seed"/> (the same on every run, since a lane
    /// asks in order), after <paramref name="passFirst"/> datagrams that pass (a join, a greeting).
    /// </summary>
    public static Func<int, string, Fate> Seeded(int seed, double drop, double dup, double hold, int passFirst = 0)
    {
        var random = new Random(seed);
        return (index, _) =>
        {
            if (index < passFirst) return Fate.Pass;
            double draw = random.NextDouble();
            return draw < drop ? Fate.Drop : draw < drop + dup ? Fate.Double : draw < drop + dup + hold ? Fate.Hold : Fate.Pass;
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _front.Dispose();
        foreach (Socket back in _backs.Values) back.Dispose();
        await Task.WhenAll(_loops).WaitAsync(Timeouts.Step);
        _stop.Dispose();
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        UdpPeer.GiveLargeReceiveBuffer(socket); // The relay must lose only what its schedule says.
        return socket;
    }

    private async Task FrontLoopAsync()
    {
        byte[] buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }

            var client = (IPEndPoint)received.RemoteEndPoint;
            Socket back = _backs.GetOrAdd(client, StartBack);
            byte[] payload = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            await ToServer.HandleAsync(payload, p => back.SendToAsync(new ReadOnlyMemory<byte>(p), SocketFlags.None, _server));
        }
    }

    private Socket StartBack(IPEndPoint client)
    {
        Socket back = Bound();
        _loops.Add(BackLoopAsync(back, client));
        return back;
    }

    private async Task BackLoopAsync(Socket back, IPEndPoint client)
    {
        await Task.Yield();
        byte[] buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            int count;
            try
            {
                count = (await back.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token)).ReceivedBytes;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }

            await ToClient.HandleAsync(buffer.AsSpan(0, count).ToArray(), p => _front.SendToAsync(new ReadOnlyMemory<byte>(p), SocketFlags.None, client));
        }
    }

    /// <summary>One direction: its schedule, its held datagram, and what it did.</summary>
    internal sealed class Lane(Func<int, string, Fate> schedule)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly List<string> _forwarded = [];
        private readonly List<Fate> _fates = [];
        private readonly SemaphoreSlim _handled = new(0);
        private (byte[] Payload, Func<byte[], ValueTask<int>> Send)? _held;
        private int _done;

        /// <summary>The datagrams forwarded, as text, in the order they went out (a doubled one twice).</summary>
        public IReadOnlyList<string> Forwarded
        {
            get
            {
                lock (_forwarded) return [.. _forwarded];
            }
        }

        /// <summary>The fate given to each datagram that came, in arrival order.</summary>
        public IReadOnlyList<Fate> Fates
        {
            get
            {
                lock (_forwarded) return [.. _fates];
            }
        }

        /// <summary>The lines forwarded, in order: what the peer on the other side reads.</summary>
        public IReadOnlyList<string> ForwardedLines => [.. Forwarded.SelectMany(d => d.Split('\n', StringSplitOptions.RemoveEmptyEntries))];

        /// <summary>Waits until <paramref name="count"/> datagrams have come through this lane (whatever their fate).</summary>
        public async Task WaitForHandledAsync(int count)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            bound.CancelAfter(Timeouts.Step);
            while (Volatile.Read(ref _done) < count)
            {
                try
                {
                    await _handled.WaitAsync(bound.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"The relay handled {Volatile.Read(ref _done)} datagrams, not {count}.");
                }
            }
        }

        public async Task HandleAsync(byte[] payload, Func<byte[], ValueTask<int>> send)
        {
            await _gate.WaitAsync();
            try
            {
                string text = Encoding.UTF8.GetString(payload);
                Fate fate;
                lock (_forwarded)
                {
                    fate = schedule(_fates.Count, text);
                    _fates.Add(fate);
                }

                switch (fate)
                {
                    case Fate.Drop:
                        return; // A held datagram waits for one that goes through.
                    case Fate.Hold when _held is null:
                        _held = (payload, send);
                        return;
                    case Fate.Double:
                        await SendAsync(payload, send);
                        await SendAsync(payload, send);
                        break;
                    default:
                        await SendAsync(payload, send); // A second hold while one waits passes.
                        break;
                }

                if (_held is { } held)
                {
                    _held = null;
                    await SendAsync(held.Payload, held.Send);
                }
            }
            finally
            {
                Interlocked.Increment(ref _done);
                _gate.Release();
                _handled.Release();
            }
        }

        private async Task SendAsync(byte[] payload, Func<byte[], ValueTask<int>> send)
        {
            lock (_forwarded) _forwarded.Add(Encoding.UTF8.GetString(payload));
            try
            {
                await send(payload);
            }
            catch (SocketException)
            {
                // The far side is gone (an ICMP error of an earlier datagram): as lost as a dropped one.
            }
        }
    }
}

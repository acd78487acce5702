using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Marcel.Core.Transport;

/// <summary>
/// A UDP socket that keeps datagram boundaries and limits: a server bound to one address that hears everyone, or a
/// client "connected" to one server (the kernel then drops datagrams from anyone else, and reports an ICMP
/// "port unreachable" as <see cref="SocketError.ConnectionRefused"/>). One receiver at a time.
/// </summary>
public sealed class DatagramSocket : IDisposable
{
    /// <summary>Senders whose endpoint a server socket keeps for reuse at most.</summary>
    private const int MaxRememberedSenders = 4096;

    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private readonly EndPoint _anyRemote;
    private readonly HashSet<IPAddress> _broadcasts;
    private readonly bool _askDestination;
    private readonly SocketAddress _from;
    private readonly Dictionary<SocketAddress, IPEndPoint> _senders = [];

    private DatagramSocket(Socket socket, DatagramOptions options, HashSet<IPAddress> broadcasts)
    {
        _socket = socket;
        Options = options;
        // One byte more than the maximum: a datagram that fills it was longer than allowed, and is refused whole.
        _buffer = GC.AllocateUninitializedArray<byte>(options.MaxDatagramBytes + 1);
        _anyRemote = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _broadcasts = broadcasts;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _from = _anyRemote.Serialize();
        // Which address a datagram was sent to costs a recvmsg with control data and an IPAddress per datagram; it is
        // only asked where a group datagram can arrive. Linux and the BSDs deliver broadcast and multicast datagrams
        // only to sockets bound to the wildcard (or to that group address); Windows also hands broadcasts to a socket
        // bound to the interface's own unicast address, so there it is always asked.
        _askDestination = OperatingSystem.IsWindows() || IsWildcard(LocalEndPoint.Address) || IsGroup(LocalEndPoint.Address);
    }

    /// <summary>The socket's limits.</summary>
    public DatagramOptions Options { get; }

    /// <summary>The address and port bound.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The server a connected socket talks to; null for a bound server socket.</summary>
    public IPEndPoint? RemoteEndPoint => _socket.Connected ? _socket.RemoteEndPoint as IPEndPoint : null;

    /// <summary>A server socket bound to <paramref name="local"/> (<c>[::]</c> hears IPv4 too). Throws <see cref="SocketException"/>.</summary>
    public static DatagramSocket Bind(IPEndPoint local, DatagramOptions options)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Socket socket = Create(local.AddressFamily, options);
        try
        {
            DatagramSocketOptions.DisableConnectionReset(socket);
            if (local.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // No SO_REUSEADDR: on UDP it would let a second server share the port and steal half its datagrams.
            socket.Bind(local);
            socket.ReceiveTimeout = (int)ReceivePoll.TotalMilliseconds;
            return new DatagramSocket(socket, options, DirectedBroadcasts());
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Server sockets on every address <paramref name="host"/> means (<see cref="Hosting.ListenAddress.ResolveAsync"/>), port
    /// <paramref name="port"/>. Throws <see cref="Hosting.ServerBindException"/>; nothing stays bound on failure.
    /// </summary>
    public static async Task<IReadOnlyList<DatagramSocket>> BindAllAsync(string host, int port, DatagramOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<IPEndPoint> endpoints = await Hosting.ListenAddress.ResolveToBindAsync(host, port, cancellationToken);
        var sockets = new List<DatagramSocket>();
        try
        {
            foreach (IPEndPoint endpoint in endpoints)
            {
                sockets.Add(Bind(endpoint, options));
            }
        }
        catch (SocketException e)
        {
            sockets.ForEach(s => s.Dispose());
            throw new Hosting.ServerBindException(Hosting.ListenAddress.Display(host, port), Hosting.ServerBindException.Classify(e), e);
        }

        return sockets;
    }

    /// <summary>
    /// A client socket for <paramref name="host"/>:<paramref name="port"/> (the first address the name resolves to).
    /// Nothing is sent: UDP has no handshake, so this never fails because no server is there.
    /// </summary>
    public static async Task<DatagramSocket> ConnectAsync(string host, int port, DatagramOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string trimmed = host.Trim('[', ']');
        IPAddress address = IPAddress.TryParse(trimmed, out IPAddress? literal)
            ? literal
            : (await Dns.GetHostAddressesAsync(trimmed, cancellationToken)).FirstOrDefault()
              ?? throw new SocketException((int)SocketError.HostNotFound);
        Socket socket = Create(address.AddressFamily, options);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
            return new DatagramSocket(socket, options, []);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Blocks until the next datagram from anyone (a server socket; one receiving thread, see <see cref="DatagramReceiver"/>).
    /// A datagram over the maximum comes back with <see cref="Datagram.TooLong"/> and no payload. ICMP errors that some
    /// systems report on a server socket are skipped. Ends with an exception once the socket is disposed, or (within
    /// <see cref="ReceivePoll"/>) once <paramref name="cancellationToken"/> fires: .NET cannot end a blocked UDP receive
    /// by closing the socket on every system (it can on Linux and Windows, not on macOS), so the wait wakes up to look.
    /// </summary>
    public Datagram ReceiveFrom(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (_askDestination)
                {
                    SocketFlags flags = SocketFlags.None;
                    EndPoint remote = _anyRemote;
                    int length = _socket.ReceiveMessageFrom(_buffer, ref flags, ref remote, out IPPacketInformation packet);
                    return Received(Unmapped((IPEndPoint)remote), length, flags, packet.Address);
                }

                // Into one SocketAddress kept for the socket: no EndPoint is made per datagram (see SenderOf).
                int received = _socket.ReceiveFrom(_buffer, SocketFlags.None, _from);
                return Received(SenderOf(_from), received, SocketFlags.None, null);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                // An ICMP error about an earlier answer of ours (Windows reports it on the next receive), or an oversize
                // datagram on a system that fails the call for it: neither stops the server.
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                // ReceivePoll went by without a datagram: look at the token again.
            }
        }
    }

    /// <summary>How often a blocked <see cref="ReceiveFrom"/> wakes to see whether it should stop.</summary>
    public static readonly TimeSpan ReceivePoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits for the next datagram from the server (a connected socket); its payload is valid until the next receive.
    /// Throws <see cref="SocketException"/> with <see cref="SocketError.ConnectionRefused"/> when an ICMP "port unreachable"
    /// came back for something we sent: nobody listens there.
    /// </summary>
    public async ValueTask<(ReadOnlyMemory<byte> Payload, bool TooLong)> ReceiveAsync(CancellationToken cancellationToken)
    {
        int received = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken);
        return received > Options.MaxDatagramBytes ? (ReadOnlyMemory<byte>.Empty, true) : (_buffer.AsMemory(0, received), false);
    }

    /// <summary>Sends one datagram to <paramref name="remote"/> (a server socket). False when the system refused it (no route, buffer full).</summary>
    public bool TrySendTo(ReadOnlySpan<byte> payload, IPEndPoint remote) => TrySendTo(payload, AddressOf(remote));

    /// <summary>
    /// <paramref name="remote"/> as this socket's system address (an IPv4 peer of a dual-stack socket as IPv4-mapped
    /// IPv6): made once per peer and given to <see cref="TrySendTo(ReadOnlySpan{byte}, SocketAddress)"/>, it spares
    /// serialising the endpoint for every datagram.
    /// </summary>
    public SocketAddress AddressOf(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return _socket.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port).Serialize()
            : remote.Serialize();
    }

    /// <summary>
    /// Sends one datagram to <paramref name="remote"/>, made by <see cref="AddressOf"/>, on the calling thread. False when
    /// the system refused it (no route, buffer full for <see cref="SendTimeout"/>).
    /// </summary>
    /// <remarks>
    /// Synchronous on purpose: a server socket is received on by a blocked thread (<see cref="ReceiveFrom"/>), and one
    /// async call on it would switch it to non-blocking for good, .NET then emulating the blocking receive through its
    /// socket event thread (the hand-off the receiving thread exists to avoid). A UDP send does not wait for the peer:
    /// the kernel queues the datagram or drops it; only a full send buffer blocks, and for <see cref="SendTimeout"/> at most.
    /// </remarks>
    public bool TrySendTo(ReadOnlySpan<byte> payload, SocketAddress remote)
    {
        CheckLength(payload.Length);
        try
        {
            _socket.SendTo(payload, SocketFlags.None, remote);
            return true;
        }
        catch (SocketException)
        {
            // At most once: a datagram the system would not send is a lost datagram, which UDP allows.
            return false;
        }
    }

    /// <summary>Sends one datagram to the server (a connected socket). Throws <see cref="SocketException"/> (e.g. refused: see <see cref="ReceiveAsync"/>).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        CheckLength(payload.Length);
        await _socket.SendAsync(payload, SocketFlags.None, cancellationToken);
    }

    /// <summary>Closes the socket; a pending receive ends with an exception.</summary>
    public void Dispose() => _socket.Dispose();

    private void CheckLength(int length) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Options.MaxDatagramBytes, "payload");

    private Datagram Received(IPEndPoint remote, int received, SocketFlags flags, IPAddress? destination)
    {
        bool tooLong = received > Options.MaxDatagramBytes || (flags & SocketFlags.Truncated) != 0;
        return new Datagram(remote, tooLong ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, received), tooLong, IsGroup(destination));
    }

    /// <summary>
    /// The sender of the datagram just received into <paramref name="address"/>, as an endpoint made once per sender
    /// and reused while it keeps sending (one receiver at a time: no lock). Bounded: past
    /// <see cref="MaxRememberedSenders"/> (a flood of forged sources) the table starts again.
    /// </summary>
    private IPEndPoint SenderOf(SocketAddress address)
    {
        if (_senders.TryGetValue(address, out IPEndPoint? known))
        {
            return known;
        }

        if (_senders.Count >= MaxRememberedSenders)
        {
            _senders.Clear();
        }

        var key = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(key.Buffer.Span);
        IPEndPoint sender = Unmapped((IPEndPoint)_anyRemote.Create(key));
        _senders[key] = sender;
        return sender;
    }

    private static IPEndPoint Unmapped(IPEndPoint remote) =>
        remote.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(remote.Address.MapToIPv4(), remote.Port) : remote;

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private bool IsGroup(IPAddress? destination) =>
        destination is not null
        && (destination.Equals(IPAddress.Broadcast) || destination.IsIPv6Multicast || _broadcasts.Contains(destination)
            || (destination.AddressFamily == AddressFamily.InterNetwork && (destination.GetAddressBytes()[0] & 0xF0) == 0xE0));

    /// <summary>How long a send may wait for room in a full send buffer before the datagram is given up as lost.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(1);

    private static Socket Create(AddressFamily family, DatagramOptions options) =>
        new Socket(family, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = options.ReceiveBufferBytes,
            SendTimeout = (int)SendTimeout.TotalMilliseconds,
        };

    /// <summary>The directed broadcast address of each IPv4 interface (192.168.1.255 for 192.168.1.0/24): never answered.</summary>
    private static HashSet<IPAddress> DirectedBroadcasts()
    {
        var broadcasts = new HashSet<IPAddress>();
        try
        {
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (unicast.Address.AddressFamily != AddressFamily.InterNetwork || unicast.PrefixLength is 0 or >= 31)
                    {
                        continue;
                    }

                    uint address = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(unicast.Address.GetAddressBytes());
                    uint host = uint.MaxValue >> unicast.PrefixLength;
                    byte[] bytes = new byte[4];
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, address | host);
                    broadcasts.Add(new IPAddress(bytes));
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list (a sandbox): the limited broadcast and multicast are still recognised.
        }

        return broadcasts;
    }
}

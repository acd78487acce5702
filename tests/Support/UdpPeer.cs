using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marcel.Tests.Support;

/// <summary>A datagram peer played by hand on 127.0.0.1: sends to one server, counts what comes back.</summary>
internal sealed class UdpPeer : IDisposable
{
    private readonly byte[] _buffer = new byte[70_000];

    private UdpPeer(IPEndPoint server, IPAddress? local = null)
    {
        Server = server;
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Socket.Bind(new IPEndPoint(local ?? IPAddress.Loopback, 0));
        GiveLargeReceiveBuffer(Socket);
    }

    public Socket Socket { get; }

    public IPEndPoint Server { get; }

    public IPEndPoint Local => (IPEndPoint)Socket.LocalEndPoint!;

    /// <summary>Bytes received so far.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>An 8 MiB kernel receive buffer for <paramref name="socket"/>, so that a burst to a starved reader is not dropped.</summary>
    public static void GiveLargeReceiveBuffer(Socket socket)
    {
        // A burst of a few hundred datagrams (the member contract queues 400 lines at once) overflows Linux's default
        // 208 KiB receive buffer when this test's reader is starved on a loaded machine: each loopback datagram costs
        // a whole buffer there, whatever its size. The kernel then drops them, which is UDP and not the member's doing.
        // Root may go past net.core.rmem_max (SO_RCVBUFFORCE); elsewhere the ordinary request is capped by it.
        const int Bytes = 8 << 20;
        try
        {
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(Bytes));
            }
            else
            {
                socket.ReceiveBufferSize = Bytes;
            }
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = Bytes;
        }
    }

    public static UdpPeer To(IPEndPoint server) => new(server);

    public static UdpPeer To(int port) => new(new IPEndPoint(IPAddress.Loopback, port));

    /// <summary>A peer sending from <paramref name="local"/> (on Linux every 127.x.y.z is this machine): another address than the others.</summary>
    public static UdpPeer From(IPAddress local, int port) => new(new IPEndPoint(IPAddress.Loopback, port), local);

    /// <summary>A UDP port on 127.0.0.1 that nobody listened on a moment ago, and that no port 0 bind can be given (see <see cref="Loopback.FreePort"/>).</summary>
    public static int UnusedPort() => Loopback.FreePort();

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] payload) => await Socket.SendToAsync(payload, SocketFlags.None, Server, TestContext.Current.CancellationToken);

    /// <summary>The next datagram, within <see cref="Timeouts.Step"/>.</summary>
    public async Task<byte[]> ReceiveAsync()
    {
        try
        {
            SocketReceiveFromResult result = await Socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), Timeouts.StepToken());
            BytesReceived += result.ReceivedBytes;
            return _buffer.AsSpan(0, result.ReceivedBytes).ToArray();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No datagram came to {Local} within {Timeouts.Step}.");
        }
    }

    public async Task<string> ReceiveTextAsync() => Encoding.UTF8.GetString(await ReceiveAsync());

    /// <summary>Every datagram already here, without waiting: what the server sent before an event we awaited.</summary>
    public List<byte[]> TakeQueued()
    {
        var queued = new List<byte[]>();
        while (Socket.Available > 0 || Socket.Poll(0, SelectMode.SelectRead))
        {
            int received = Socket.Receive(_buffer);
            BytesReceived += received;
            queued.Add(_buffer.AsSpan(0, received).ToArray());
        }

        return queued;
    }

    public void Dispose() => Socket.Dispose();
}

using System.Net;
using System.Text;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Udp;
using Marcel.Core.Transport;
using Marcel.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Chat.Udp;

/// <summary>A chat room in the test process whose members are datagram peers on 127.0.0.1.</summary>
internal sealed class DatagramRoom : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private DatagramRoom(ChatServer server, DatagramMembers members, RecordingOperator console)
    {
        Server = server;
        Members = members;
        Console = console;
    }

    public ChatServer Server { get; }

    public DatagramMembers Members { get; }

    public RecordingOperator Console { get; }

    public int Port => Members.BoundEndPoints[0].Port;

    public static async Task<DatagramRoom> StartAsync(ChatOptions? options = null, TimeSpan? idle = null, TimeProvider? time = null)
    {
        var console = new RecordingOperator();
        var server = new ChatServer(options ?? new ChatOptions(), console, NullLogger.Instance, time);
        await server.StartAsync();
        DatagramMembers members = await DatagramMembers.BindAsync(server.Room, "127.0.0.1", 0, new DatagramOptions(), idle ?? TimeSpan.FromMinutes(5));
        var room = new DatagramRoom(server, members, console);
        room._run = server.Room.RunAsync(members.BoundEndPoints, room._stop.Token);
        return room;
    }

    /// <summary>
    /// A peer that joins with an empty datagram and a second one to show it receives, and reads its welcome (two lines);
    /// through <paramref name="port"/> when given (a relay in front of the room), from <paramref name="from"/> when given
    /// (another address than 127.0.0.1).
    /// </summary>
    public async Task<(DatagramLinePeer Peer, string Name)> JoinAsync(int? port = null, IPAddress? from = null)
    {
        var peer = new DatagramLinePeer(from is null ? UdpPeer.To(port ?? Port) : UdpPeer.From(from, port ?? Port));
        await peer.Udp.SendAsync([]);
        await peer.Udp.SendAsync([]);
        string welcome = await peer.ReadLineAsync() ?? throw new InvalidOperationException("closed before the welcome");
        await peer.ReadLineAsync(); // who is here
        int at = welcome.IndexOf("you are ", StringComparison.Ordinal) + "you are ".Length;
        return (peer, welcome[at..welcome.IndexOf('.', at)]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(Timeouts.Step);
        await Members.DisposeAsync();
        Server.Dispose();
        _stop.Dispose();
    }
}

/// <summary>A datagram peer read as lines: each datagram's lines in order; an empty datagram (the server's hang-up) ends them.</summary>
internal sealed class DatagramLinePeer(UdpPeer udp) : IAsyncDisposable
{
    private readonly Queue<string> _lines = new();
    private bool _closed;

    public UdpPeer Udp { get; } = udp;

    public Task SendLineAsync(string line) => Udp.SendAsync(line + "\n");

    public async Task<string?> ReadLineAsync()
    {
        while (_lines.Count == 0)
        {
            if (_closed) return null;
            byte[] datagram = await Udp.ReceiveAsync();
            if (datagram.Length == 0)
            {
                _closed = true;
                continue;
            }

            string text = Encoding.UTF8.GetString(datagram);
            Assert.EndsWith("\n", text, StringComparison.Ordinal); // Whole lines only, never a cut one.
            foreach (string line in text[..^1].Split('\n')) _lines.Enqueue(line);
        }

        return _lines.Dequeue();
    }

    /// <summary>Reads lines until one matches; returns it.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> match)
    {
        while (true)
        {
            string line = await ReadLineAsync() ?? throw new InvalidOperationException("closed");
            if (match(line)) return line;
        }
    }

    public ValueTask DisposeAsync()
    {
        Udp.Dispose();
        return ValueTask.CompletedTask;
    }
}

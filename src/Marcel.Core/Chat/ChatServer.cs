using System.Net;
using Marcel.Core.Chat.Bus;
using Marcel.Core.Chat.Roster;
using Marcel.Core.Chat.Room;
using Marcel.Core.Chat.Tcp;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Chat;

/// <summary>
/// A chat room served to line clients over TCP (<c>marcel serve --chat</c>): every line a client sends reaches every
/// other client, prefixed with the sender's name. Composes the room (<see cref="ChatRoom"/>: events, commands,
/// notices, on a roster and a bus) with its TCP members (<see cref="LineMember"/>). Other kinds of members (a browser,
/// a datagram peer) join the same <see cref="Room"/> through their own adapters.
/// </summary>
public sealed class ChatServer : IDisposable
{
    private readonly LineWireFormat _lineFormat;
    private readonly Framing.LineOptions _lines;

    /// <summary>Creates a room that reports to <paramref name="console"/>, with a local roster and bus unless given.</summary>
    public ChatServer(ChatOptions options, IChatOperator console, ILogger logger, TimeProvider? time = null, IRoster? roster = null, IRoomBus? bus = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Room = new ChatRoom(options, console, logger, time, roster, bus);
        // Chat clients are line clients: once one has ended a line, its half-line is never cut by the flush delay
        // (under load the rest may sit unread for longer than the delay). Clients that never send newlines keep it.
        _lines = options.Lines with { FlushAfterTerminatedLines = false };
        _lineFormat = new LineWireFormat(options.Lines.Ending);
    }

    /// <summary>The room: where other kinds of members join.</summary>
    public ChatRoom Room { get; }

    /// <summary>Connections open right now, members or not (refused ones until they are closed).</summary>
    public int ConnectionCount => Room.ConnectionCount;

    /// <summary>Members in the room on this server right now.</summary>
    public int MemberCount => Room.MemberCount;

    /// <summary>Starts the room (joins its bus); call once, before connections are accepted.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken = default) => Room.StartAsync(cancellationToken);

    /// <summary>The host's entry point for each accepted connection: the connection lives as long as the returned task.</summary>
    public Task OnConnectedAsync(IServerConnection connection) => LineMember.ServeAsync(Room, _lineFormat, _lines, connection ?? throw new ArgumentNullException(nameof(connection)));

    /// <summary>Runs the operator's side until <paramref name="stopping"/> or <c>/quit</c>, then closes the room (see <see cref="ChatRoom.RunAsync"/>).</summary>
    public Task RunAsync(IReadOnlyList<IPEndPoint> boundEndPoints, CancellationToken stopping) => Room.RunAsync(boundEndPoints, stopping);

    /// <inheritdoc />
    public void Dispose() => Room.Dispose();
}

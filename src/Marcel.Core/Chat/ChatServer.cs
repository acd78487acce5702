using System.Buffers;
using System.Globalization;
using System.Net;
using Marcel.Core.Framing;
using Marcel.Core.Resources;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Chat;

/// <summary>
/// A chat room: every line a client sends reaches every other client, prefixed with the sender's name. Stands on
/// the same host (<see cref="Hosting.TcpServerHost"/>) and framing (<see cref="LineReader"/>, <see cref="LineFramer"/>) as
/// the dialogue server. Each client has a bounded outgoing queue drained by its own writer, so a slow reader is
/// disconnected instead of slowing the room; joins and leaves are announced in batches, so a crowd stays cheap.
/// </summary>
public sealed partial class ChatServer : IDisposable
{
    private readonly ChatOptions _options;
    private readonly IChatOperator _operator;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly byte[] _ending;
    private readonly object _room = new();
    private readonly Dictionary<string, ChatMember> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _allGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChatMember[] _snapshot = [];
    private int _version;
    private int _snapshotVersion;
    private int _nextUser;
    private int _connections;
    private volatile bool _stopping;

    /// <summary>Creates a room that reports to <paramref name="console"/>.</summary>
    public ChatServer(ChatOptions options, IChatOperator console, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Chat clients are line clients: once one has ended a line, its half-line is never cut by the flush delay
        // (under load the rest may sit unread for longer than the delay). Clients that never send newlines keep it.
        _options = (options with { Lines = options.Lines with { FlushAfterTerminatedLines = false } }).Validate();
        _operator = console ?? throw new ArgumentNullException(nameof(console));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _ending = LineEndingBytes.Of(_options.Lines.Ending).ToArray();
    }

    /// <summary>Connections open right now, members or not (refused ones until they are closed).</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Clients in the room right now.</summary>
    public int MemberCount
    {
        get { lock (_room) return _members.Count; }
    }

    /// <summary>The host's entry point for each accepted connection: the connection lives as long as the returned task.</summary>
    public async Task OnConnectedAsync(IServerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Interlocked.Increment(ref _connections);
        ChatMember? member = null;
        try
        {
            if (!_options.Access.Admits(connection.RemoteEndPoint))
            {
                // Closed without a word: a denied address learns nothing about the room.
                ChatLog.Denied(_logger, connection.RemoteEndPoint);
                _operator.Happened(Format(ChatStrings.OpDenied, connection.RemoteEndPoint));
                return;
            }

            member = TryJoin(connection);
            if (member is null)
            {
                await RefuseAsync(connection);
                return;
            }

            ChatCloseReason reason = await ReadAsync(member);
            await LeaveAsync(member, reason);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            ChatLog.ConnectionFailed(_logger, connection.RemoteEndPoint, e);
        }
        finally
        {
            if (member is not null)
            {
                Remove(member);
                member.Dispose();
            }

            if (Interlocked.Decrement(ref _connections) == 0 && _stopping)
            {
                _allGone.TrySetResult();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _noticeTimer?.Dispose();
        _idleTimer?.Dispose();
        _order.Dispose();
    }

    /// <summary>Seats the newcomer: a free name, the greeting and who is here, then a place in the room. Null when it cannot enter.</summary>
    private ChatMember? TryJoin(IServerConnection connection)
    {
        ChatMember member;
        lock (_room)
        {
            if (_stopping || _members.Count >= _options.MaxClients)
            {
                return null;
            }

            member = new ChatMember(connection, NextFreeName(), _options.MaxQueueBytes, _time.GetTimestamp());
            if (_options.Greeting is { Length: > 0 } greeting)
            {
                member.TryEnqueue(Encode(greeting));
            }

            member.TryEnqueue(Encode(Format(ChatStrings.Welcome, _options.Name, member.Name)));
            member.TryEnqueue(Encode(WhoIsHere()));
            _members.Add(member.Name, member);
            _version++;
        }

        ChatLog.Joined(_logger, member.Name, connection.RemoteEndPoint);
        AddNotice(new Notice(NoticeKind.Joined, member.Name, null, null, member));
        return member;
    }

    private async Task RefuseAsync(IServerConnection connection)
    {
        string line;
        if (_stopping)
        {
            line = ChatStrings.ShutdownNotice;
        }
        else
        {
            ChatLog.RoomFull(_logger, connection.RemoteEndPoint, _options.MaxClients);
            _operator.Happened(Format(ChatStrings.OpFull, connection.RemoteEndPoint, _options.MaxClients));
            line = Format(ChatStrings.RoomFull, _options.MaxClients);
        }

        connection.Transport.Output.Write(Encode(line));
        await connection.Transport.Output.FlushAsync().AsTask().WaitAsync(_options.ShutdownGrace, _time)
            .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await connection.Transport.Output.CompleteAsync();
    }

    /// <summary>Takes the member out of the room, tells the room why, and sends the member its last line.</summary>
    private async Task LeaveAsync(ChatMember member, ChatCloseReason reason)
    {
        ChatLog.Left(_logger, member.Name, reason);
        string name = Remove(member);
        if (reason != ChatCloseReason.Shutdown)
        {
            AddNotice(new Notice(NoticeKind.Left, name, null, reason, null));
        }

        if (reason == ChatCloseReason.Overflow)
        {
            return; // Already discarded and aborted: nothing more can reach it.
        }

        string? last = reason switch
        {
            ChatCloseReason.Kicked => ChatStrings.KickedNotice,
            ChatCloseReason.Idle => Format(ChatStrings.IdleNotice, _options.IdleTimeout.GetValueOrDefault().TotalSeconds),
            ChatCloseReason.TooLong => Format(ChatStrings.TooLongNotice, _options.Lines.MaxLineBytes),
            ChatCloseReason.Shutdown => ChatStrings.ShutdownNotice,
            ChatCloseReason.HungUp => null,
            _ => ChatStrings.Goodbye,
        };
        // A client that stopped reading must not hold its connection (or the shutdown) open for long.
        Task drained = member.CloseAsync(last is null ? null : Encode(last));
        if (await Task.WhenAny(drained, Task.Delay(_options.ShutdownGrace, _time)) != drained)
        {
            member.Discard();
            member.Connection.Abort();
            return;
        }

        await member.Connection.Transport.Output.CompleteAsync();
    }

    /// <summary>Removes the member from the room if still there; returns its last name.</summary>
    private string Remove(ChatMember member)
    {
        lock (_room)
        {
            if (_members.TryGetValue(member.Name, out ChatMember? found) && ReferenceEquals(found, member))
            {
                _members.Remove(member.Name);
                _version++;
            }

            return member.Name;
        }
    }

    private string NextFreeName()
    {
        while (true)
        {
            string name = "user" + (++_nextUser).ToString(CultureInfo.InvariantCulture);
            if (!_members.ContainsKey(name))
            {
                return name;
            }
        }
    }

    /// <summary>The newcomer's short list: every name in a small room, the count and a few names in a big one.</summary>
    private string WhoIsHere()
    {
        int count = _members.Count;
        if (count == 0)
        {
            return ChatStrings.AloneHere;
        }

        string names = NameList(_members.Keys, count);
        return count <= _options.NamesShown ? Format(ChatStrings.HereFew, names) : Format(ChatStrings.HereMany, count, names);
    }

    /// <summary>"a, b, c" or "a, b, c and N others", listing at most <see cref="ChatOptions.NamesShown"/>.</summary>
    private string NameList(IEnumerable<string> names, int count)
    {
        string shown = string.Join(", ", names.Take(_options.NamesShown));
        return count <= _options.NamesShown ? shown : Format(ChatStrings.AndOthers, shown, count - _options.NamesShown);
    }

    /// <summary>The members as an array, rebuilt only after someone joined or left.</summary>
    private ChatMember[] Snapshot()
    {
        if (Volatile.Read(ref _snapshotVersion) == Volatile.Read(ref _version))
        {
            return Volatile.Read(ref _snapshot);
        }

        lock (_room)
        {
            if (_snapshotVersion != _version)
            {
                Volatile.Write(ref _snapshot, [.. _members.Values]);
                Volatile.Write(ref _snapshotVersion, _version);
            }

            return _snapshot;
        }
    }

    /// <summary>One line, encoded once with the configured ending; the same array goes to every receiver.</summary>
    private byte[] Encode(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 8);
        LineFramer.WriteLine(buffer, text, _ending);
        return buffer.WrittenSpan.ToArray();
    }

    private static string Format(string format, params object?[] arguments) => string.Format(CultureInfo.CurrentCulture, format, arguments);
}

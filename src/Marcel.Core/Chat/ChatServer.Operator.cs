using System.Net;
using Marcel.Core.Resources;

namespace Marcel.Core.Chat;

public sealed partial class ChatServer
{
    private ITimer? _idleTimer;

    /// <summary>
    /// Runs the operator's side until <paramref name="stopping"/> fires or the operator says <c>/quit</c>: lines typed go to
    /// everyone under the server's name, <c>/who</c> and <c>/kick NAME</c> act on the room. When the console input ends
    /// the room keeps serving. Then says goodbye to every client and returns once they are closed (or the grace ran out).
    /// </summary>
    public async Task RunAsync(IReadOnlyList<IPEndPoint> boundEndPoints, CancellationToken stopping)
    {
        _operator.Listening(boundEndPoints);
        StartIdleSweep();
        using var room = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            while (await _operator.ReadLineAsync(room.Token) is { } line)
            {
                if (!Command(line))
                {
                    await room.CancelAsync();
                }
            }

            _operator.Happened(ChatStrings.OpInputClosed);
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, room.Token);
        }
        catch (OperationCanceledException) when (room.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM, or the operator's /quit.
        }

        await ShutdownAsync();
    }

    /// <summary>Carries out one operator line; false when the operator asks to close the room.</summary>
    private bool Command(string line)
    {
        if (!ChatCommandParser.TryParse(line, out ChatCommand command))
        {
            if (!line.AsSpan().Trim().IsEmpty)
            {
                Broadcast(Encode(Said(_options.Name, line)), except: null);
            }

            return true;
        }

        switch (command.Kind)
        {
            case ChatCommandKind.Quit:
                return false;
            case ChatCommandKind.Who:
                _operator.Happened(Format(ChatStrings.OpWhoHeader, MemberCount, ConnectionCount));
                foreach (string entry in WhoLines().Skip(1))
                {
                    _operator.Happened(entry);
                }

                break;
            case ChatCommandKind.Kick:
                Kick(command.Argument);
                break;
            case ChatCommandKind.Stats:
                // A full collection first, so the figure shows what is really held (a leak), not garbage awaiting the GC.
                long heap = GC.GetTotalMemory(forceFullCollection: true);
                _operator.Happened(Format(ChatStrings.OpStats, ConnectionCount, MemberCount, heap / 1024));
                break;
            case ChatCommandKind.Help:
                _operator.Happened(Format(ChatStrings.OpHelp, _options.Name));
                break;
            default:
                _operator.Happened(Format(ChatStrings.UnknownCommand, command.Kind == ChatCommandKind.Nick ? "/nick" : command.Argument));
                break;
        }

        return true;
    }

    private void Kick(string name)
    {
        ChatMember? member;
        lock (_room)
        {
            _members.TryGetValue(name, out member);
        }

        if (member is null)
        {
            _operator.Happened(Format(ChatStrings.OpNoSuchName, name));
            return;
        }

        member.Stop(ChatCloseReason.Kicked);
    }

    /// <summary>With an idle timeout, one sweep for the whole room (no timer per client) closes who has been quiet too long.</summary>
    private void StartIdleSweep()
    {
        if (_options.IdleTimeout is not { } idle)
        {
            return;
        }

        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _idleTimer = _time.CreateTimer(static state => ((ChatServer)state!).SweepIdle(), this, period, period);
    }

    private void SweepIdle()
    {
        TimeSpan idle = _options.IdleTimeout.GetValueOrDefault();
        long now = _time.GetTimestamp();
        foreach (ChatMember member in Snapshot())
        {
            if (_time.GetElapsedTime(member.LastHeard, now) >= idle)
            {
                member.Stop(ChatCloseReason.Idle);
            }
        }
    }

    /// <summary>Stops admitting, tells every member goodbye, and waits (bounded) until every connection has ended.</summary>
    private async Task ShutdownAsync()
    {
        ChatMember[] members;
        lock (_room)
        {
            _stopping = true;
            members = [.. _members.Values];
        }

        _idleTimer?.Dispose();
        _operator.Happened(members.Length switch
        {
            0 => ChatStrings.OpStoppingNone,
            1 => ChatStrings.OpStoppingOne,
            _ => Format(ChatStrings.OpStopping, members.Length),
        });
        foreach (ChatMember member in members)
        {
            member.Stop(ChatCloseReason.Shutdown);
        }

        if (ConnectionCount == 0)
        {
            _allGone.TrySetResult();
        }

        // Each member's own close is bounded by the grace; a little more covers the connections still being refused.
        await Task.WhenAny(_allGone.Task, Task.Delay(_options.ShutdownGrace + TimeSpan.FromMilliseconds(300), _time));
        _operator.Happened(ChatStrings.OpStopped);
    }
}

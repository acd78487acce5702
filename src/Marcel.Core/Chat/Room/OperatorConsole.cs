using Marcel.Core.Chat.Events;
using Marcel.Core.Resources;

namespace Marcel.Core.Chat.Room;

/// <summary>
/// The operator's side of the room: lines typed go to everyone under the server's name; <c>/who</c>, <c>/kick NAME</c>,
/// <c>/stats</c>, <c>/help</c> act on the room; <c>/quit</c> closes it. When the console input ends the room keeps serving.
/// </summary>
internal static class OperatorConsole
{
    /// <summary>Reads the operator's lines until <paramref name="stopping"/> fires or the operator says <c>/quit</c>.</summary>
    public static async Task RunAsync(ChatRoom room, CancellationToken stopping)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            while (await room.Operator.ReadLineAsync(run.Token) is { } line)
            {
                if (!await CommandAsync(room, line))
                {
                    await run.CancelAsync();
                }
            }

            room.Operator.Happened(ChatStrings.OpInputClosed);
            await Task.Delay(Timeout.InfiniteTimeSpan, room.Time, run.Token);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM, or the operator's /quit.
        }
    }

    /// <summary>Carries out one operator line; false when the operator asks to close the room.</summary>
    private static async ValueTask<bool> CommandAsync(ChatRoom room, string line)
    {
        if (!ChatCommandParser.TryParse(line, out ChatCommand command))
        {
            if (!line.AsSpan().Trim().IsEmpty)
            {
                room.Say(MemberSaid.Line(room.OperatorIdentity, line));
            }

            return true;
        }

        switch (command.Kind)
        {
            case ChatCommandKind.Quit:
                return false;
            case ChatCommandKind.Who:
                var all = await room.Roster.ListAsync(int.MaxValue);
                room.Operator.Happened(RoomText.Format(room.ConnectionCount == 1 ? ChatStrings.OpWhoHeaderOneConnection : ChatStrings.OpWhoHeader, all.Count, room.ConnectionCount));
                foreach (string entry in RoomText.WhoLines(all, room.Bus.SpansServers).Skip(1))
                {
                    room.Operator.Happened(entry);
                }

                break;
            case ChatCommandKind.Kick:
                if (await room.Roster.FindAsync(command.Argument) is { } member)
                {
                    room.Bus.Publish(new KickRequested(member)); // The node that holds the member carries it out.
                }
                else
                {
                    room.Operator.Happened(RoomText.Format(ChatStrings.OpNoSuchName, command.Argument));
                }

                break;
            case ChatCommandKind.Stats:
                // A full collection first, so the figure shows what is really held (a leak), not garbage awaiting the GC.
                long heap = GC.GetTotalMemory(forceFullCollection: true);
                room.Operator.Happened(RoomText.Format(ChatStrings.OpStats, room.ConnectionCount, room.MemberCount, heap / 1024));
                if (RoomText.PerNode(await room.Roster.ListAsync(int.MaxValue), room.Bus.SpansServers) is { } perNode)
                {
                    room.Operator.Happened(perNode);
                }

                break;
            case ChatCommandKind.Help:
                room.Operator.Happened(RoomText.Format(ChatStrings.OpHelp, room.Options.Name));
                break;
            default:
                room.Operator.Happened(RoomText.Format(ChatStrings.UnknownCommand, command.Kind == ChatCommandKind.Nick ? "/nick" : command.Argument));
                break;
        }

        return true;
    }
}

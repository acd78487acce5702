using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Resources;

namespace Marcel.Core.Chat.Room;

/// <summary>A member's commands (<c>/nick</c>, <c>/who</c>, <c>/help</c>, <c>/quit</c>), the same for every kind of member.</summary>
internal static class MemberCommands
{
    /// <summary>Carries out <paramref name="command"/>; false when the member leaves.</summary>
    public static async ValueTask<bool> ObeyAsync(ChatRoom room, IRoomMember member, ChatCommand command)
    {
        switch (command.Kind)
        {
            case ChatCommandKind.Quit:
                return false;
            case ChatCommandKind.Nick:
                await RenameAsync(room, member, command.Argument);
                break;
            case ChatCommandKind.Who:
                room.Tell(member, RoomText.WhoLines(await room.Roster.ListAsync(int.MaxValue), room.Bus.SpansServers));
                break;
            case ChatCommandKind.Help:
                room.Tell(member, ChatStrings.Help.Split('\n'));
                break;
            default:
                // /kick and /stats are the operator's: to a member they are as unknown as any other word.
                string word = command.Kind switch
                {
                    ChatCommandKind.Kick => "/kick",
                    ChatCommandKind.Stats => "/stats",
                    _ => command.Argument,
                };
                room.Tell(member, [RoomText.Format(ChatStrings.UnknownCommand, word)]);
                break;
        }

        return true;
    }

    private static async ValueTask RenameAsync(ChatRoom room, IRoomMember member, string wanted)
    {
        if (wanted.Length == 0)
        {
            room.Tell(member, [ChatStrings.NickMissing]);
            return;
        }

        if (ChatNames.Refusal(wanted, room.Options.Name) is { } refusal)
        {
            room.Tell(member, [refusal]);
            return;
        }

        MemberIdentity old = member.Identity;
        if (await room.Roster.TryRenameAsync(old, wanted) is not { } renamed)
        {
            room.Tell(member, [RoomText.Format(ChatStrings.NickTaken, wanted)]);
            return;
        }

        member.Identity = renamed;
        room.Tell(member, [RoomText.Format(ChatStrings.YouAreNow, wanted)]);
        room.Bus.Publish(new MemberRenamed(renamed, old.Name));
    }
}

using Marcel.Core.Chat;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Core.Chat.Events;

namespace Marcel.Tests.Chat;

/// <summary>The room's local members: seats against shutdown's list, with no window between them.</summary>
public sealed class LocalMembersTests
{
    [Fact]
    public void Once_closed_no_one_is_seated_and_the_list_holds_everyone_seated_before()
    {
        var members = new LocalMembers();
        Assert.True(members.TryReserve(10));
        Assert.True(members.TryReserve(10));
        TestMember early = new("a"), late = new("b");
        Assert.True(members.Seat(early));

        // Shutdown lists the members to dismiss; a join that was under way sits down after: it is refused, not
        // seated unseen (it would never be dismissed, so never told goodbye).
        Assert.Equal([early], members.Close());
        Assert.False(members.Seat(late));
        Assert.Equal([early], members.Snapshot());
        Assert.True(members.TryReserve(10)); // The refused seat was given back.
    }

    private sealed class TestMember(string id) : QueuedMember(new MemberIdentity(id, id, MemberKinds.Tcp, "n", null), new Silent(), 1024, 0)
    {
        protected override ValueTask WriteAsync(ReadOnlyMemory<EncodedEvent> batch) => ValueTask.CompletedTask;

        protected override bool IsTransportFailure(Exception exception) => false;
    }

    private sealed class Silent : IWireFormat
    {
        public EncodedEvent Encode(RoomEvent roomEvent) => EncodedEvent.Empty;
    }
}

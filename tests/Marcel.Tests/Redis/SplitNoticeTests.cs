using Marcel.Redis;

namespace Marcel.Tests.Redis;

public sealed class SplitNoticeTests
{
    private const string Split = "* The room is split: messages reach this server only.";
    private const string Whole = "* The room is whole again: messages reach every server.";

    [Fact]
    public void A_split_is_told_once_however_many_failures_follow_and_whole_once_when_it_ends()
    {
        var told = new List<string>();
        var notice = new SplitNotice(told.Add);
        notice.Arm();
        notice.Leave(); // Joined: whole from the start, nothing to say.

        Assert.True(notice.Enter());
        Assert.False(notice.Enter()); // A hung Redis: every heartbeat fails again.
        Assert.False(notice.Enter());
        Assert.True(notice.IsSplit);
        notice.Leave();
        notice.Leave();
        Assert.False(notice.IsSplit);
        Assert.True(notice.Enter()); // A new split is a new story.

        Assert.Equal([Split, Whole, Split], told);
    }

    [Fact]
    public void Before_the_room_has_anyone_to_tell_a_split_is_kept_but_not_told()
    {
        var told = new List<string>();
        var notice = new SplitNotice(told.Add);
        Assert.True(notice.IsSplit); // Not joined yet: nothing goes on the bus.
        Assert.False(notice.Enter());
        notice.Leave();
        Assert.Empty(told);
    }
}

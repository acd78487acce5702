using Marcel.Core.Chat;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Notices;

namespace Marcel.Tests.Chat;

/// <summary>The wording of joins, leaves and renames seen in one window: a pure function, tested as one.</summary>
public class NoticeCoalescerTests
{
    private static MemberIdentity User(int n) => new("local/" + n, "user" + n, MemberKinds.Tcp, "local", null);

    [Fact]
    public void Two_hundred_and_fifty_joins_are_one_line_naming_ten_and_counting_the_others()
    {
        RoomEvent[] joins = [.. Enumerable.Range(1, 250).Select(n => new MemberJoined(User(n)))];
        RoomNotice notice = Assert.Single(NoticeCoalescer.Coalesce(joins, namesShown: 10));
        Assert.Equal("* 250 people joined: user1, user2, user3, user4, user5, user6, user7, user8, user9, user10 and 240 others.", notice.Text);
        Assert.Null(notice.SubjectId);
    }

    [Fact]
    public void A_lone_join_is_not_told_to_the_newcomer_itself()
    {
        RoomNotice notice = Assert.Single(NoticeCoalescer.Coalesce([new MemberJoined(User(7))], 10));
        Assert.Equal("* user7 joined.", notice.Text);
        Assert.Equal("local/7", notice.SubjectId);
    }

    [Fact]
    public void Leaves_group_by_reason_and_order_is_kept()
    {
        RoomEvent[] events =
        [
            new MemberLeft(User(1), ChatCloseReason.HungUp),
            new MemberLeft(User(2), ChatCloseReason.HungUp),
            new MemberLeft(User(3), ChatCloseReason.Idle),
            new MemberLeft(User(4), ChatCloseReason.Idle),
            new MemberJoined(User(5)),
            new MemberLeft(User(6), ChatCloseReason.Overflow),
        ];
        Assert.Equal(
            ["* 2 people left: user1, user2.", "* 2 people left (idle too long): user3, user4.", "* user5 joined.", "* user6 left (too slow to read, disconnected)."],
            NoticeCoalescer.Coalesce(events, 10).Select(n => n.Text));
    }

    [Fact]
    public void Renames_are_each_their_own_line_between_the_runs_around_them()
    {
        RoomEvent[] events =
        [
            new MemberJoined(User(1)),
            new MemberRenamed(User(1) with { Name = "Alice" }, "user1"),
            new MemberRenamed(User(2) with { Name = "Bob" }, "user2"),
            new MemberJoined(User(3)),
        ];
        Assert.Equal(
            ["* user1 joined.", "* user1 is now known as Alice.", "* user2 is now known as Bob.", "* user3 joined."],
            NoticeCoalescer.Coalesce(events, 10).Select(n => n.Text));
    }

    [Fact]
    public void Leaves_at_shutdown_and_events_that_are_not_notices_say_nothing()
    {
        RoomEvent[] events = [new MemberLeft(User(1), ChatCloseReason.Shutdown), MemberSaid.Line(User(2), "hi"), new KickRequested(User(3))];
        Assert.Empty(NoticeCoalescer.Coalesce(events, 10));
    }

    [Fact]
    public void Eleven_leaves_with_ten_shown_name_ten_and_one_other()
    {
        RoomEvent[] leaves = [.. Enumerable.Range(1, 11).Select(n => new MemberLeft(User(n), ChatCloseReason.Kicked))];
        Assert.Equal(
            "* 11 people left (removed by the operator): user1, user2, user3, user4, user5, user6, user7, user8, user9, user10 and 1 others.",
            Assert.Single(NoticeCoalescer.Coalesce(leaves, 10)).Text);
    }
}

using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Roster;
using Marcel.Redis;

namespace Marcel.Tests.Redis;

public sealed class RosterMirrorTests
{
    private static MemberIdentity Member(string id, string name, string node = "a") => new(id, name, MemberKinds.Tcp, node, null);

    [Fact]
    public void A_free_name_skips_every_name_held_in_any_case()
    {
        var mirror = new RosterMirror();
        mirror.Put(Member("b/1", "USER1-A", "b"));
        mirror.Put(Member("b/2", "user2-a", "b"));
        int next = 0;

        MemberIdentity named = mirror.PutUnderFreeName(Member("a/1", ""), () => $"user{++next}-a");

        Assert.Equal("user3-a", named.Name);
        Assert.Equal("a/1", mirror.Find("USER3-A")?.Id);
    }

    [Fact]
    public void A_rename_frees_the_old_name_and_says_what_was_known_before()
    {
        var mirror = new RosterMirror();
        Assert.Null(mirror.Put(Member("a/1", "Zed")));
        Assert.Equal("Zed", mirror.Put(Member("a/1", "Amy"))?.Name);
        Assert.Null(mirror.Find("zed"));
        Assert.False(mirror.HeldByAnother("Amy", "a/1"));
        Assert.True(mirror.HeldByAnother("amy", "b/1"));
        Assert.True(mirror.Knows(Member("a/1", "Amy")));
        Assert.False(mirror.Knows(Member("a/1", "Zed")));
    }

    [Fact]
    public void Dropping_a_stale_identity_never_frees_a_name_someone_else_holds_now()
    {
        var mirror = new RosterMirror();
        mirror.Put(Member("a/1", "Zed"));
        mirror.Put(Member("b/1", "Zed", "b")); // Heard from another server: b/1 holds Zed now.

        mirror.Drop("a/1");

        Assert.Equal("b/1", mirror.Find("Zed")?.Id);
        Assert.Equal(1, mirror.List(10).Count);
    }
}

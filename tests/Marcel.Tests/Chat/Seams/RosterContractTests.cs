using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Roster;

namespace Marcel.Tests.Chat.Seams;

/// <summary>
/// What every roster must do, written once: run against the local roster here; a roster kept elsewhere (Redis) derives
/// its own class from this one and supplies <see cref="CreateAsync"/>.
/// </summary>
public abstract class RosterContractTests
{
    /// <summary>A fresh, empty roster (for a shared roster: of a room no other test uses).</summary>
    protected abstract Task<IRoster> CreateAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static MemberIdentity Newcomer(string id, string node = "local") => new(id, string.Empty, MemberKinds.Tcp, node, "127.0.0.1:1");

    [Fact]
    public async Task Newcomers_get_distinct_user_names_counting_up()
    {
        IRoster roster = await CreateAsync();
        MemberIdentity a = await roster.AddAsync(Newcomer("n/1"), Ct);
        MemberIdentity b = await roster.AddAsync(Newcomer("n/2"), Ct);
        Assert.Equal("user1", a.Name);
        Assert.Equal("user2", b.Name);
        Assert.Equal("n/1", a.Id);
        RosterPage page = await roster.ListAsync(10, Ct);
        Assert.Equal(2, page.Count);
        Assert.Equal(["user1", "user2"], page.Members.Select(m => m.Name).Order());
    }

    [Fact]
    public async Task A_user_name_held_after_a_rename_is_skipped_not_given_twice()
    {
        IRoster roster = await CreateAsync();
        MemberIdentity a = await roster.AddAsync(Newcomer("n/1"), Ct);
        Assert.NotNull(await roster.TryRenameAsync(a, "user2", Ct));
        MemberIdentity b = await roster.AddAsync(Newcomer("n/2"), Ct);
        Assert.Equal("user3", b.Name);
    }

    [Fact]
    public async Task Names_are_unique_whatever_their_case_and_a_rename_frees_the_old_name()
    {
        IRoster roster = await CreateAsync();
        MemberIdentity a = await roster.AddAsync(Newcomer("n/1"), Ct);
        MemberIdentity b = await roster.AddAsync(Newcomer("n/2"), Ct);
        MemberIdentity alice = await roster.TryRenameAsync(a, "Alice", Ct) ?? throw new InvalidOperationException("refused");
        Assert.Equal("Alice", alice.Name);
        Assert.Null(await roster.TryRenameAsync(b, "alice", Ct));
        Assert.Equal("n/1", (await roster.FindAsync("ALICE", Ct))?.Id);
        Assert.Null(await roster.FindAsync(a.Name, Ct));
        Assert.NotNull(await roster.TryRenameAsync(b, a.Name, Ct)); // user1 is free again.

        // A member may change the case of its own name.
        Assert.Equal("ALICE", (await roster.TryRenameAsync(alice, "ALICE", Ct))?.Name);
    }

    [Fact]
    public async Task Removing_a_member_frees_its_name_and_never_removes_another_holder()
    {
        IRoster roster = await CreateAsync();
        MemberIdentity a = await roster.AddAsync(Newcomer("n/1"), Ct);
        MemberIdentity renamed = await roster.TryRenameAsync(a, "Bob", Ct) ?? throw new InvalidOperationException("refused");
        MemberIdentity b = await roster.AddAsync(Newcomer("n/2"), Ct);
        MemberIdentity holder = await roster.TryRenameAsync(b, a.Name, Ct) ?? throw new InvalidOperationException("refused");

        await roster.RemoveAsync(a, Ct); // a's stale identity names user1, now b's: b stays.
        Assert.Equal("n/2", (await roster.FindAsync(holder.Name, Ct))?.Id);
        await roster.RemoveAsync(renamed, Ct);
        Assert.Null(await roster.FindAsync("Bob", Ct));
        Assert.Equal(1, (await roster.ListAsync(0, Ct)).Count);
        await roster.RemoveAsync(renamed, Ct); // Twice is harmless.
        Assert.Equal(1, (await roster.ListAsync(10, Ct)).Count);
    }

    [Fact]
    public async Task A_list_is_cut_at_its_limit_but_counts_everyone()
    {
        IRoster roster = await CreateAsync();
        for (int i = 0; i < 25; i++) await roster.AddAsync(Newcomer("n/" + i), Ct);
        RosterPage page = await roster.ListAsync(10, Ct);
        Assert.Equal(25, page.Count);
        Assert.Equal(10, page.Members.Count);
    }

    [Fact]
    public async Task Concurrent_newcomers_never_share_a_name()
    {
        IRoster roster = await CreateAsync();
        MemberIdentity[] named = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () => await roster.AddAsync(Newcomer("n/" + i), Ct))));
        Assert.Equal(200, named.Select(m => m.Name.ToUpperInvariant()).Distinct().Count());
    }
}

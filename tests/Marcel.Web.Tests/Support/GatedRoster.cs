using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Roster;

namespace Marcel.Web.Tests.Support;

/// <summary>
/// The local roster with a gate on the way in: each newcomer is held in <see cref="AddAsync"/> until the test opens
/// the gate, so a test can start something (a shutdown) while joins are under way, at a point it knows.
/// </summary>
internal sealed class GatedRoster : IRoster
{
    private readonly LocalRoster _inner = new();
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _held = new(0);

    /// <summary>Waits until <paramref name="count"/> newcomers are held at the gate.</summary>
    public async Task HoldingAsync(int count)
    {
        for (int i = 0; i < count; i++) await _held.WaitAsync(Timeouts.StepToken());
    }

    /// <summary>Lets every held newcomer, and every later one, through.</summary>
    public void Open() => _open.TrySetResult();

    public async ValueTask<MemberIdentity> AddAsync(MemberIdentity newcomer, CancellationToken cancellationToken = default)
    {
        _held.Release();
        await _open.Task.WaitAsync(Timeouts.Step, cancellationToken);
        return await _inner.AddAsync(newcomer, cancellationToken);
    }

    public ValueTask<MemberIdentity?> TryRenameAsync(MemberIdentity member, string name, CancellationToken cancellationToken = default) =>
        _inner.TryRenameAsync(member, name, cancellationToken);

    public ValueTask RemoveAsync(MemberIdentity member, CancellationToken cancellationToken = default) => _inner.RemoveAsync(member, cancellationToken);

    public ValueTask<MemberIdentity?> FindAsync(string name, CancellationToken cancellationToken = default) => _inner.FindAsync(name, cancellationToken);

    public ValueTask<RosterPage> ListAsync(int limit, CancellationToken cancellationToken = default) => _inner.ListAsync(limit, cancellationToken);
}

using Marcel.Core.Discovery;

namespace Marcel.Cli.Commands;

/// <summary>
/// What <c>serve --announce</c> holds while the server runs: one announcement per transport (<c>_marcel._tcp</c>,
/// and <c>_marcel._udp</c> for datagrams) and the stack that made them. Disposing it withdraws them all (goodbyes),
/// then lets the stack go.
/// </summary>
internal sealed class AnnouncedServer(IServiceDiscovery stack, IReadOnlyList<IAnnouncement> announcements) : IAsyncDisposable
{
    /// <summary>The announcements, the main transport's first.</summary>
    public IReadOnlyList<IAnnouncement> Announcements { get; } = announcements;

    public async ValueTask DisposeAsync()
    {
        foreach (IAnnouncement announcement in Announcements)
        {
            await announcement.DisposeAsync();
        }

        DiscoveryStack.Release(stack);
    }
}

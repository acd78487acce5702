namespace Marcel.Core.Hosting;

/// <summary>Limits that keep a server up when strangers open more connections than it can hold.</summary>
public sealed record ServerLimits
{
    /// <summary>
    /// Connections held at once (waiting, talking), a backstop under the servers' own limits such as the chat's
    /// <c>--max-clients</c>. Past it a newcomer is told the server is busy and closed. Default 20,000, and never more
    /// than the process's file-descriptor limit leaves room for (see <see cref="FileDescriptorBudget"/>); at most
    /// <see cref="MaxConnectionsCap"/>.
    /// </summary>
    public int MaxConnections { get; init; } = 20_000;

    /// <summary>Hard cap on <see cref="MaxConnections"/>.</summary>
    public const int MaxConnectionsCap = 100_000;

    /// <summary>
    /// What a newcomer past <see cref="MaxConnections"/> is sent before it is closed, given the limit in force (which
    /// the file-descriptor budget may have lowered). The host speaks no protocol: the server that stands on it words
    /// this, e.g. <see cref="Transport.BusyNotice.Line"/>. Default null: the newcomer is closed without a word.
    /// </summary>
    public Func<int, ReadOnlyMemory<byte>>? BusyNotice { get; init; }

    /// <summary>How long the "server busy" line may take to leave before the refused connection is closed anyway. Default 1 s.</summary>
    public TimeSpan RefusalTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// TCP keepalive on every accepted connection, so a peer that vanished without a word (cable pulled, machine gone)
    /// is found and its connection closed. Default <see cref="TcpKeepAlive.Default"/> (first probe after 60 s, found
    /// within 90 s); null turns it off.
    /// </summary>
    public TcpKeepAlive? KeepAlive { get; init; } = TcpKeepAlive.Default;

    /// <summary>Throws when an option is out of its documented range.</summary>
    public ServerLimits Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxConnections, MaxConnectionsCap, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(RefusalTimeout, TimeSpan.Zero, nameof(RefusalTimeout));
        return this;
    }
}

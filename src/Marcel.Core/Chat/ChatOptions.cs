using Marcel.Core.Framing;

namespace Marcel.Core.Chat;

/// <summary>How the chat room (<c>marcel serve --chat</c>) behaves and what it tolerates.</summary>
public sealed record ChatOptions
{
    /// <summary>Hard cap on <see cref="MaxClients"/>.</summary>
    public const int MaxClientsCap = 1_000_000;

    /// <summary>Hard cap on <see cref="MaxQueueBytes"/>: what one client can make the server hold.</summary>
    public const int MaxQueueBytesCap = 256 * 1024 * 1024;

    /// <summary>The server's name: operator lines are sent under it, and no client may take it. Default <c>Marcel</c>.</summary>
    public string Name { get; init; } = "Marcel";

    /// <summary>An extra first line for each newcomer, before the welcome; <c>null</c> for none.</summary>
    public string? Greeting { get; init; }

    /// <summary>Most clients in the room at once; the next one is told the room is full and closed. Default 10,000.</summary>
    public int MaxClients { get; init; } = 10_000;

    /// <summary>
    /// Most datagram members (<c>--udp</c>, <c>--udp-port</c>) from one IP address at once, whatever their ports; a
    /// source address costs a forger nothing, so without this one machine could fill the room and have every join
    /// told to the members. Joins from one address are also rate-limited (see
    /// <see cref="Udp.DatagramMembers.JoinInterval"/>). TCP members are not counted. Default 8.
    /// </summary>
    public int MaxDatagramMembersPerAddress { get; init; } = 8;

    /// <summary>Close a client that sent nothing for this long (only that client). Default <c>null</c>: never.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// Bytes waiting to be sent to one client beyond which it is disconnected as too slow (the room is told).
    /// Lines are shared between receivers, so this bounds the memory a slow client pins, not a copy per client.
    /// Default 4 MiB; at most <see cref="MaxQueueBytesCap"/>.
    /// </summary>
    public int MaxQueueBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Joins and leaves within this window are announced together ("N people joined: a, b, c and N-3 others"),
    /// so a crowd arriving at once costs a few notices, not one per pair of people. Default 100 ms.
    /// </summary>
    public TimeSpan NoticeWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many names a newcomer or a notice lists before "and N others". Default 10.</summary>
    public int NamesShown { get; init; } = 10;

    /// <summary>Who may connect: by default everyone (<see cref="ChatAccess.Everyone"/>).</summary>
    public ChatAccess Access { get; init; } = ChatAccess.Everyone;

    /// <summary>How long shutdown waits for the goodbyes to be sent before closing the rest. Default 1 s.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Framing of every connection (maximum line, flush delay, line ending).</summary>
    public LineOptions Lines { get; init; } = new();

    /// <summary>Throws when an option is out of its documented range.</summary>
    public ChatOptions Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxClients, 1, nameof(MaxClients));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxClients, MaxClientsCap, nameof(MaxClients));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDatagramMembersPerAddress, 1, nameof(MaxDatagramMembersPerAddress));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxDatagramMembersPerAddress, MaxClientsCap, nameof(MaxDatagramMembersPerAddress));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueueBytes, 1024, nameof(MaxQueueBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxQueueBytes, MaxQueueBytesCap, nameof(MaxQueueBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(NamesShown, 1, nameof(NamesShown));
        ArgumentOutOfRangeException.ThrowIfLessThan(NoticeWindow, TimeSpan.Zero, nameof(NoticeWindow));
        if (IdleTimeout is { } idle)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idle, TimeSpan.Zero, nameof(IdleTimeout));
        }

        Lines.Validate();
        return this;
    }
}

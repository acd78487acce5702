using System.Net;
using System.Net.Sockets;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Transport;

namespace Marcel.Core.Chat.Udp;

/// <summary>
/// A datagram peer as a room member: what the room queues for it leaves as datagrams of whole lines, through its
/// <see cref="DatagramSender"/> (so a peer that has not shown it receives gets at most a few times what it sent).
/// It has no read loop: its datagrams come from the socket's one receive loop (<see cref="DatagramMembers"/>).
/// </summary>
internal sealed class DatagramMember : QueuedMember
{
    private readonly Action<DatagramMember, ChatCloseReason> _stopping;

    public DatagramMember(MemberIdentity identity, IWireFormat format, int maxQueueBytes, long now, DatagramSender sender, Action<DatagramMember, ChatCloseReason> stopping)
        : base(identity, format, maxQueueBytes, now)
    {
        Sender = sender;
        _stopping = stopping;
    }

    /// <summary>Where its datagrams go, under the amplification limit.</summary>
    public DatagramSender Sender { get; }

    /// <summary>Its address and port: its identity on the wire.</summary>
    public IPEndPoint Remote => Sender.Remote;

    private int _gone;

    /// <summary>True once it has left or is leaving: later datagrams from its address make a new member.</summary>
    public bool Gone => Volatile.Read(ref _gone) != 0;

    /// <summary>Marks it as leaving; true for the first caller only.</summary>
    public bool TryLeave() => Interlocked.Exchange(ref _gone, 1) == 0;

    /// <summary>
    /// Sends the batch as <see cref="DatagramBatch"/> joins it: consecutive lines share a datagram while they fit, so a
    /// lost datagram loses the lines it held together (at most once either way), and a member that keeps up still gets
    /// each line as soon as it is said. Joined only once the peer has shown it receives: before, each message goes
    /// alone, so the welcome fits the amplification limit by itself.
    /// </summary>
    protected override ValueTask WriteAsync(ReadOnlyMemory<EncodedEvent> batch)
    {
        if (batch.Length == 1 && batch.Span[0].MessageEnds.Length == 1)
        {
            // The usual case, one line and one datagram, without the lists.
            Sender.TrySend(batch.Span[0].Bytes[..batch.Span[0].MessageEnds.Span[0]]);
            return ValueTask.CompletedTask;
        }

        foreach (ReadOnlyMemory<byte> datagram in DatagramBatch.Datagrams(batch.Span, Sender.Verified ? Sender.Socket.Options.MaxDatagramBytes : 0))
        {
            // At most once: a datagram the limit drops (or the system refuses) is lost, as UDP may lose any.
            Sender.TrySend(datagram);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override bool WritesWithoutWaiting => true;

    /// <inheritdoc />
    protected override bool IsTransportFailure(Exception exception) => exception is SocketException or ObjectDisposedException;

    /// <inheritdoc />
    protected override void OnStopping(ChatCloseReason reason) => _stopping(this, reason);
}

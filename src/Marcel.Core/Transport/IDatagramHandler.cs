using System.Net;

namespace Marcel.Core.Transport;

/// <summary>What a datagram server does with what its <see cref="DatagramReceiver"/> hears.</summary>
public interface IDatagramHandler
{
    /// <summary>
    /// Handles one datagram that may be answered (never from port 0, a broadcast or multicast source, nor sent to a
    /// group), in arrival order: the next one on <paramref name="socket"/> is received after this completes, and its
    /// payload is only valid until then. <paramref name="stopping"/> fires when the receiver stops.
    /// </summary>
    ValueTask ReceivedAsync(DatagramSocket socket, Datagram datagram, CancellationToken stopping);

    /// <summary>A datagram nobody can be answered at was dropped (to log it; it must not be answered).</summary>
    void Unanswerable(Datagram datagram);

    /// <summary>The receive loop on <paramref name="local"/> failed: that socket no longer receives.</summary>
    void ReceiveFailed(IPEndPoint local, Exception failure);
}

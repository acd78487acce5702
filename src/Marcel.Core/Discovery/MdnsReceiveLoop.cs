using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Discovery;

/// <summary>
/// The receive loop the responder and the querier share: each datagram decoded, the ones mDNS says to ignore dropped,
/// the rest handed on. Whatever one packet makes the handler throw is logged and the loop goes on to the next, so one
/// bad packet never silences discovery; only the socket's own failure or the stop ends it.
/// </summary>
internal static class MdnsReceiveLoop
{
    /// <summary>Receives until <paramref name="stop"/> fires or the socket fails, handing each message to <paramref name="handle"/>.</summary>
    public static async Task RunAsync(MdnsSocket socket, Func<DnsMessage, IPEndPoint, MdnsInterface, Task> handle, ILogger logger, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            (ReadOnlyMemory<byte> Bytes, IPEndPoint From, MdnsInterface Via) received;
            try
            {
                received = await socket.ReceiveAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                DiscoveryLog.ReceiveFailed(logger, e);
                return;
            }

            await HandleAsync(received.Bytes, received.From, received.Via, handle, logger, stop);
        }
    }

    /// <summary>
    /// One datagram: malformed ones and responses not from port 5353 (RFC 6762 §6: "MUST silently ignore") are dropped;
    /// an exception of the handler is logged, never thrown. False when the datagram was dropped or failed.
    /// </summary>
    public static async Task<bool> HandleAsync(
        ReadOnlyMemory<byte> bytes, IPEndPoint from, MdnsInterface via, Func<DnsMessage, IPEndPoint, MdnsInterface, Task> handle, ILogger logger, CancellationToken stop)
    {
        if (!DnsCodec.TryRead(bytes.Span, out DnsMessage message))
        {
            DiscoveryLog.Malformed(logger, bytes.Length, from);
            return false;
        }

        if (message.IsResponse && from.Port != MdnsSocket.Port)
        {
            DiscoveryLog.WrongPort(logger, from);
            return false;
        }

        try
        {
            await handle(message, from, via);
            return true;
        }
        catch (Exception e) when (!stop.IsCancellationRequested && e is not OutOfMemoryException)
        {
            DiscoveryLog.PacketFailed(logger, bytes.Length, from, e);
            return false;
        }
    }
}

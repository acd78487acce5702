using System.Net.Sockets;

namespace Marcel.Core.Transport;

/// <summary>
/// A <see cref="NetworkStream"/> whose writes first try a non-blocking send. A line to a client that keeps up fits in
/// the socket's buffer and leaves at once, without the <see cref="SocketAsyncEventArgs"/> (~300 bytes) that an
/// asynchronous send would keep on the socket for good: across ten thousand quiet members that is 3 MB. Only what does
/// not fit is sent asynchronously.
/// </summary>
internal sealed class EagerNetworkStream : NetworkStream
{
    public EagerNetworkStream(Socket socket)
        : base(socket, ownsSocket: true)
    {
        // Synchronous sends now return WouldBlock instead of waiting; asynchronous reads and writes are unaffected.
        socket.Blocking = false;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            int sent = Socket.Send(buffer.Span, SocketFlags.None, out SocketError error);
            switch (error)
            {
                case SocketError.Success:
                    buffer = buffer[sent..];
                    break;
                case SocketError.WouldBlock:
                    return base.WriteAsync(buffer, cancellationToken); // The rest waits for room, asynchronously.
                default:
                    // As NetworkStream reports a failed send.
                    return ValueTask.FromException(new IOException($"Unable to write data to the transport connection: {error}.", new SocketException((int)error)));
            }
        }

        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}

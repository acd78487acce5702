using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Marcel.Core.Security;

namespace Marcel.Core.Transport;

/// <summary>
/// A client TCP connection as a duplex pipe. A receive loop fills the input pipe from the socket, so a
/// reader can cancel a pending read (<see cref="PipeReader.CancelPendingRead"/>) without touching the socket.
/// With TLS the same loop reads an <see cref="System.Net.Security.SslStream"/> over the socket instead of the socket itself.
/// </summary>
public sealed class TcpClientConnection : IDuplexPipe, IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly Pipe _received = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly Task _receiveLoop;

    private TcpClientConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        RemoteEndPoint = socket.RemoteEndPoint;
        _receiveLoop = ReceiveAsync();
    }

    /// <summary>What the server sent.</summary>
    public PipeReader Input => _received.Reader;

    /// <summary>What we send to the server.</summary>
    public PipeWriter Output { get; }

    /// <summary>The server's address and port.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>, trying each address the name resolves to,
    /// within <paramref name="timeout"/>. Throws <see cref="SocketException"/> (or <see cref="TimeoutException"/>) on failure.
    /// </summary>
    public static Task<TcpClientConnection> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken) =>
        ConnectAsync(host, port, timeout, tls: null, cancellationToken);

    /// <summary>
    /// Connects as above, then, when <paramref name="tls"/> is given, completes a TLS handshake (within the same
    /// <paramref name="timeout"/>) before anything can be sent. A refused certificate or a broken handshake throws
    /// <see cref="TlsHandshakeException"/>.
    /// </summary>
    public static async Task<TcpClientConnection> ConnectAsync(string host, int port, TimeSpan timeout, TlsClientOptions? tls, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        bool connected = false;
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token);
            connected = true;
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                stream = await TlsClientHandshake.AuthenticateAsync(stream, host, tls, deadline.Token);
            }

            return new TcpClientConnection(socket, stream);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw connected ? new TlsHandshakeException(TlsFailure.TimedOut, null) : new TimeoutException($"{host}:{port}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Tells the server we will send nothing more (TCP half-close); reading goes on.</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <summary>Closes the socket and waits for the receive loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Output.CompleteAsync(); // Flushes what a failed send left behind: it fails again if the server is gone.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The server vanished: there is no one left to flush to.
        }

        // The receive loop may be parked on a full pipe nobody reads any more (a flood ended by a line over the maximum):
        // completing the reader releases it; closing the socket releases a loop parked on the socket.
        await _received.Reader.CompleteAsync();
        _socket.Close();
        await _stream.DisposeAsync();
        await _receiveLoop;
    }

    private async Task ReceiveAsync()
    {
        PipeWriter writer = _received.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                Memory<byte> memory = writer.GetMemory(16 * 1024);
                int read = await _stream.ReadAsync(memory);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                FlushResult flushed = await writer.FlushAsync();
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // A reset or our own close ends the stream like a FIN: the reader sees the end of input.
            error = null;
        }
        finally
        {
            await writer.CompleteAsync(error);
        }
    }
}

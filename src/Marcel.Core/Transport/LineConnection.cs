using System.IO.Pipelines;
using System.Net;
using Marcel.Core.Framing;

namespace Marcel.Core.Transport;

/// <summary>
/// A connection seen as lines: a <see cref="LineReader"/> over the transport's input and a serialised
/// line writer over its output. The same type serves the host's accepted connections and our own client sockets.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim needs disposing only when its AvailableWaitHandle is used; it is not.")]
public sealed class LineConnection : IMessagePeer
{
    private readonly IDuplexPipe _transport;
    private readonly LineReader _reader;
    private readonly byte[] _ending;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _outputCompleted;

    /// <summary>Wraps <paramref name="transport"/>; <paramref name="remoteEndPoint"/> is for display only.</summary>
    public LineConnection(IDuplexPipe transport, LineOptions options, EndPoint? remoteEndPoint, TimeProvider? time = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        ArgumentNullException.ThrowIfNull(options);
        _reader = new LineReader(transport.Input, options, time);
        _ending = LineEndingBytes.Of(options.Ending).ToArray();
        RemoteEndPoint = remoteEndPoint;
    }

    /// <summary>The peer's address and port, when known.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>True once a read ended because the peer reset the connection (RST) or keepalive found it gone, rather than a close.</summary>
    public bool WasReset { get; private set; }

    /// <summary>
    /// Waits for the peer's next message. Only one reader at a time. A reset by the peer ends the stream like a close
    /// (<see cref="LineReadKind.EndOfStream"/>, with <see cref="WasReset"/> set): a stranger pulling the plug is not our error.
    /// </summary>
    public async ValueTask<LineReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _reader.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // A reset, or keepalive finding the peer gone, fails the read with IOException on both sides (see
            // IServerConnection); a SocketException is caught too for transports that do not wrap it.
            WasReset = true;
            return LineReadResult.End;
        }
    }

    /// <summary>
    /// Sends one line and flushes it. Safe to call from several tasks: lines never interleave.
    /// Returns false when the peer is gone (the line is dropped, nothing throws).
    /// </summary>
    public async ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _outputCompleted) != 0)
            {
                return false;
            }

            LineFramer.WriteLine(_transport.Output, text, _ending);
            FlushResult flushed = await _transport.Output.FlushAsync(cancellationToken);
            return !flushed.IsCompleted;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer reset or the pipe was completed under us: a vanished peer is not an error here.
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Reads and drops what the peer still sends, until it stops or <paramref name="limit"/> passes. Used before closing
    /// on a peer that floods us: closing a socket with unread input sends a reset, which can destroy the notice we
    /// just sent before the peer reads it.
    /// </summary>
    public async ValueTask DiscardInputAsync(TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                ReadResult read = await _transport.Input.ReadAsync(deadline.Token);
                _transport.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The peer kept sending: it gets the reset it asked for.
        }
        catch (InvalidOperationException)
        {
            // Input already completed.
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // The peer reset (or timed out) while we drained: nothing is left to drain.
        }
    }

    /// <summary>Flushes what was sent and closes our side; reading stops too.</summary>
    public async ValueTask CompleteAsync(Exception? error = null)
    {
        await _writeLock.WaitAsync();
        try
        {
            if (Interlocked.Exchange(ref _outputCompleted, 1) == 0)
            {
                try
                {
                    await _transport.Output.CompleteAsync(error); // Flushes what a failed send left behind.
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                    // The peer reset or vanished: what is left cannot be sent, and that is not an error here.
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }

        await _transport.Input.CompleteAsync(error);
    }
}

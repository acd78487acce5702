using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Marcel.Core.Transport;

namespace Marcel.Core.Chat;

/// <summary>
/// One client in the room: its name, and its outgoing queue with the one writer that drains it. Many senders
/// enqueue at once; only one drain runs at a time, so lines leave in the order they were queued (per-sender order
/// follows, since each sender enqueues its lines in order). The queue is bounded in bytes: past the bound the
/// member reports an overflow and the room disconnects it, so a client that does not read harms nobody else.
/// </summary>
/// <remarks>
/// No writer task exists while the queue is empty: an idle member costs a few hundred bytes, which is what lets
/// the room hold ten thousand of them.
/// </remarks>
internal sealed class ChatMember : IDisposable
{
    private const int BatchBytes = 64 * 1024;

    private readonly Queue<byte[]> _queue = new();
    private readonly PipeWriter _output;
    private readonly int _maxQueueBytes;
    private readonly CancellationTokenSource _stop = new();
    private long _queuedBytes;
    private bool _draining;
    private bool _closed;
    private TaskCompletionSource? _drained;
    private int _stopReason = -1;
    private long _lastHeard;

    public ChatMember(IServerConnection connection, string name, int maxQueueBytes, long now)
    {
        Connection = connection;
        Name = name;
        _output = connection.Transport.Output;
        _maxQueueBytes = maxQueueBytes;
        _lastHeard = now;
    }

    public IServerConnection Connection { get; }

    public EndPoint? Remote => Connection.RemoteEndPoint;

    /// <summary>The current name; changed only by the room under its lock.</summary>
    public string Name { get; set; }

    /// <summary>Fires when the room wants this member's reader to stop (kick, idle, overflow, shutdown).</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Why the room stopped this member, if it did.</summary>
    public ChatCloseReason? StopReason => Volatile.Read(ref _stopReason) is var r and >= 0 ? (ChatCloseReason)r : null;

    /// <summary>When the member last sent a line (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastHeard => Volatile.Read(ref _lastHeard);

    public void Heard(long now) => Volatile.Write(ref _lastHeard, now);

    /// <summary>Asks the reader to stop for <paramref name="reason"/>; the first reason wins.</summary>
    public void Stop(ChatCloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, -1) == -1)
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The member already left.
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="line"/> (already encoded, shared by every receiver). False when the queue would pass
    /// its bound: the caller must disconnect this member. A closed member silently drops the line.
    /// </summary>
    public bool TryEnqueue(byte[] line)
    {
        lock (_queue)
        {
            if (_closed)
            {
                return true;
            }

            if (_queuedBytes + line.Length > _maxQueueBytes)
            {
                return false;
            }

            _queue.Enqueue(line);
            _queuedBytes += line.Length;
            if (_draining)
            {
                return true;
            }

            _draining = true;
        }

        _ = DrainAsync();
        return true;
    }

    /// <summary>Queues a last line (bypassing the bound), refuses any further one, and completes when all is written.</summary>
    public Task CloseAsync(byte[]? lastLine)
    {
        bool start = false;
        lock (_queue)
        {
            if (_drained is not null)
            {
                return _drained.Task;
            }

            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_closed && lastLine is not null)
            {
                _queue.Enqueue(lastLine);
            }

            _closed = true;
            if (_queue.Count == 0 && !_draining)
            {
                _drained.TrySetResult();
            }
            else if (!_draining)
            {
                _draining = start = true;
            }
        }

        if (start)
        {
            _ = DrainAsync();
        }

        return _drained.Task;
    }

    /// <summary>Drops whatever is queued and refuses any further line: the connection is about to be aborted.</summary>
    public void Discard()
    {
        lock (_queue)
        {
            _closed = true;
            _queue.Clear();
            _queuedBytes = 0;
        }
    }

    /// <summary>Releases the stop token once the member has left.</summary>
    public void Dispose() => _stop.Dispose();

    private async Task DrainAsync()
    {
        try
        {
            while (WriteQueuedLines())
            {
                FlushResult flushed = await _output.FlushAsync();
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    Discard();
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or ObjectDisposedException)
        {
            // The transport went away under us (abort, reset): nothing more can be sent.
            Discard();
            EndDrain();
        }
    }

    /// <summary>Moves up to <see cref="BatchBytes"/> into the output; false (and the drain ends) when the queue is empty.</summary>
    private bool WriteQueuedLines()
    {
        lock (_queue)
        {
            if (_queue.Count == 0)
            {
                EndDrainLocked();
                return false;
            }

            int written = 0;
            while (written < BatchBytes && _queue.TryDequeue(out byte[]? line))
            {
                _output.Write(line);
                written += line.Length;
            }

            _queuedBytes = Math.Max(0, _queuedBytes - written);
            return true;
        }
    }

    private void EndDrain()
    {
        lock (_queue)
        {
            EndDrainLocked();
        }
    }

    private void EndDrainLocked()
    {
        _draining = false;
        if (_closed)
        {
            _drained?.TrySetResult();
        }
    }
}

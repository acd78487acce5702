using System.Buffers;
using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Members;

/// <summary>
/// What every kind of member shares: a bounded, byte-accounted queue of deliveries and the one drain that empties
/// it. Many senders enqueue at once; one drain runs at a time, so deliveries leave in the order they were queued
/// (per-sender order follows: each sender enqueues its events in order). A subclass only says how to write a batch
/// of encoded events to its wire (<see cref="WriteAsync"/>), in one send when it can.
/// </summary>
/// <remarks>
/// The drain never runs under the room's locks: it is queued to the thread pool, or, for a member whose write never
/// waits (<see cref="WritesWithoutWaiting"/>), run by the delivering thread once it has left them (<see cref="InlineDrains"/>). No drain exists while the queue is empty, and the queue itself is made on
/// first use, so an idle member costs a few hundred bytes; so is <see cref="Stopping"/>'s source, which a member that
/// is woken by other means never asks for (a source, its registrations and one registered wait: ~190 bytes a member).
/// Every byte queued is counted, the last line too, and taken off exactly once, when written or discarded. The queue's
/// lock is the member itself: no lock object per member.
/// </remarks>
public abstract class QueuedMember : IRoomMember, IThreadPoolWorkItem, IDisposable
{
    /// <summary>Most bytes one drain pass hands to <see cref="WriteAsync"/>.</summary>
    private const int PassBytes = 256 * 1024;

    private const int PassEvents = 256;

    private readonly int _maxQueueBytes;
    private CancellationTokenSource? _stop;
    private Queue<Delivery>? _queue;
    private long _queuedBytes;
    private bool _draining;
    private bool _closing;
    private bool _discarded;
    private bool _toldInvalidUtf8;
    private TaskCompletionSource? _drained;
    private Exception? _drainFault;
    private int _stopReason = -1;
    private long _lastHeard;

    /// <summary>A member known as <paramref name="identity"/>, speaking <paramref name="format"/>, holding at most <paramref name="maxQueueBytes"/> for sending.</summary>
    protected QueuedMember(MemberIdentity identity, IWireFormat format, int maxQueueBytes, long now)
    {
        Identity = identity ?? throw new ArgumentNullException(nameof(identity));
        Format = format ?? throw new ArgumentNullException(nameof(format));
        _maxQueueBytes = maxQueueBytes;
        _lastHeard = now;
    }

    /// <inheritdoc />
    public MemberIdentity Identity { get; set; }

    /// <summary>The wire format this member's deliveries are encoded in.</summary>
    public IWireFormat Format { get; }

    /// <inheritdoc />
    public long LastHeard => Volatile.Read(ref _lastHeard);

    /// <summary>Bytes queued or being written right now (0 once closed and drained).</summary>
    public long QueuedBytes
    {
        get { lock (this) return _queuedBytes; }
    }

    /// <summary>Fires when the room wants this member to leave (kick, idle, overflow, shutdown); its source is made on first use.</summary>
    public CancellationToken Stopping
    {
        get
        {
            lock (this)
            {
                if (StopReason is not null)
                {
                    return new CancellationToken(canceled: true);
                }

                return (_stop ??= new CancellationTokenSource()).Token;
            }
        }
    }

    /// <summary>Why the room stopped this member, if it did.</summary>
    public ChatCloseReason? StopReason => Volatile.Read(ref _stopReason) is var r and >= 0 ? (ChatCloseReason)r : null;

    /// <summary>Records that the member just sent something.</summary>
    public void Heard(long now) => Volatile.Write(ref _lastHeard, now);

    /// <inheritdoc />
    public bool TryDeliver(Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (this)
        {
            if (_closing || _discarded)
            {
                return true;
            }

            if (_queuedBytes + delivery.Weight > _maxQueueBytes)
            {
                return false;
            }

            (_queue ??= new Queue<Delivery>()).Enqueue(delivery);
            _queuedBytes += delivery.Weight;
            if (_draining)
            {
                return true;
            }

            _draining = true;
        }

        if (!WritesWithoutWaiting || !InlineDrains.TryDefer(this))
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    /// <inheritdoc />
    public bool FirstInvalidUtf8()
    {
        lock (this)
        {
            bool first = !_toldInvalidUtf8;
            _toldInvalidUtf8 = true;
            return first;
        }
    }

    /// <inheritdoc />
    public void Dismiss(ChatCloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, -1) != -1)
        {
            return;
        }

        if (reason == ChatCloseReason.Overflow)
        {
            Discard(); // Nothing more can reach a member that could not keep up.
        }

        OnStopping(reason);
        CancellationTokenSource? stop;
        lock (this) stop = _stop; // A getter that comes after the reason was set hands out a cancelled token itself.
        try
        {
            stop?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The member already left.
        }
    }

    /// <summary>
    /// Queues <paramref name="last"/> (beyond the bound, but counted), refuses anything after it, and completes once
    /// everything queued is written or discarded.
    /// </summary>
    public async Task CloseAsync(Delivery? last)
    {
        bool start = false;
        Task done;
        lock (this)
        {
            if (!_closing && !_discarded && last is not null)
            {
                (_queue ??= new Queue<Delivery>()).Enqueue(last);
                _queuedBytes += last.Weight;
            }

            _closing = true;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_draining)
            {
                if (_queue is { Count: > 0 })
                {
                    _draining = start = true;
                }
                else
                {
                    _drained.TrySetResult();
                }
            }

            done = _drained.Task;
        }

        if (start)
        {
            await DrainAsync();
        }

        await done;
        if (Volatile.Read(ref _drainFault) is { } fault)
        {
            // A drain that failed in an unexpected way (a bug, not a peer gone) surfaces here, in the member's own task.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
        }
    }

    /// <summary>Drops whatever is queued and refuses any further delivery: the connection is being cut.</summary>
    public void Discard()
    {
        lock (this)
        {
            _discarded = true;
            while (_queue is not null && _queue.TryDequeue(out Delivery? dropped))
            {
                _queuedBytes -= dropped.Weight;
            }
        }
    }

    /// <summary>Releases the stop token once the member has left.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs the drain scheduled by <see cref="TryDeliver"/>. Tracked, not forgotten: only one runs at a time
    /// (<c>_draining</c>), <see cref="CloseAsync"/> waits for its end, and an unexpected failure is kept for it to
    /// rethrow. No task is held once it is done, so an idle member keeps no finished state machine alive.
    /// </summary>
    void IThreadPoolWorkItem.Execute() => _ = DrainAsync();

    /// <summary>Runs the drain scheduled by <see cref="TryDeliver"/> on this thread (<see cref="InlineDrains"/>, outside every lock).</summary>
    internal void DrainHere() => _ = DrainAsync();

    /// <summary>
    /// True when <see cref="WriteAsync"/> never waits for the peer (a datagram is sent or dropped at once): the
    /// delivering thread may then run the drain itself, outside the locks, instead of a thread-pool worker.
    /// </summary>
    protected virtual bool WritesWithoutWaiting => false;

    /// <summary>Writes <paramref name="batch"/> (in queue order) to the wire, in one send when the transport allows.</summary>
    protected abstract ValueTask WriteAsync(ReadOnlyMemory<EncodedEvent> batch);

    /// <summary>True for the failures that mean the peer or the transport went away (reset, abort), not a bug.</summary>
    protected abstract bool IsTransportFailure(Exception exception);

    /// <summary>Called once, when the room first asks the member to leave (an overflowed member should be cut off here).</summary>
    protected virtual void OnStopping(ChatCloseReason reason)
    {
    }

    /// <summary>Releases the stop token.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            CancellationTokenSource? stop;
            lock (this) stop = _stop;
            stop?.Dispose();
        }
    }

    private async Task DrainAsync()
    {
        Delivery[] taken = ArrayPool<Delivery>.Shared.Rent(PassEvents);
        EncodedEvent[] encoded = ArrayPool<EncodedEvent>.Shared.Rent(PassEvents);
        try
        {
            while (Take(taken, out int count, out int weight))
            {
                for (int i = 0; i < count; i++)
                {
                    encoded[i] = taken[i].EncodedFor(Format);
                }

                try
                {
                    await WriteAsync(encoded.AsMemory(0, count));
                }
                catch (Exception e) when (IsTransportFailure(e))
                {
                    Discard();
                }
                finally
                {
                    Array.Clear(taken, 0, count);
                    Array.Clear(encoded, 0, count);
                    lock (this) _queuedBytes -= weight;
                }
            }
        }
        catch (Exception e)
        {
            Volatile.Write(ref _drainFault, e);
            Discard();
            EndDrain();
        }
        finally
        {
            ArrayPool<Delivery>.Shared.Return(taken);
            ArrayPool<EncodedEvent>.Shared.Return(encoded);
        }
    }

    /// <summary>Takes the next pass off the queue; false (and the drain ends) when there is nothing to send.</summary>
    private bool Take(Delivery[] taken, out int count, out int weight)
    {
        count = weight = 0;
        lock (this)
        {
            if (_discarded || _queue is null || _queue.Count == 0)
            {
                _queue = null; // Made again on the next delivery: a quiet member keeps no queue, burst-sized or not.
                EndDrainLocked();
                return false;
            }

            while (count < taken.Length && weight < PassBytes && _queue.TryDequeue(out Delivery? next))
            {
                taken[count++] = next;
                weight += next.Weight;
            }

            return true;
        }
    }

    private void EndDrain()
    {
        lock (this) EndDrainLocked();
    }

    private void EndDrainLocked()
    {
        _draining = false;
        if (_closing || _discarded)
        {
            _drained?.TrySetResult();
        }
    }
}

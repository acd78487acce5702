using System.IO.Pipelines;
using Marcel.Core.Transport;

namespace Marcel.Core.Dialogue;

/// <summary>
/// A client in the dialogue's line. While it waits, its input is read only to see it hang up, and at most
/// <c>maxBuffered</c> bytes (plus one read) of what it sends are held: past that nothing more is read until its turn,
/// so TCP flow control stops the sender. What it sent is left unconsumed for its conversation to read, in order.
/// </summary>
internal sealed class WaitingClient(IServerConnection connection, long maxBuffered)
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Task> _watching = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _buffered;
    private int _turn;

    public IServerConnection Connection { get; } = connection;

    /// <summary>True once the client was told its place in line: it is told again when its turn comes.</summary>
    public bool WasTold { get; set; }

    /// <summary>Bytes read from the client while it waits, held for its conversation.</summary>
    public long Buffered => Interlocked.Read(ref _buffered);

    /// <summary>Completes when the server is done with this client (served, or dropped at shutdown).</summary>
    public Task Finished => _finished.Task;

    public void Finish() => _finished.TrySetResult();

    /// <summary>Starts watching the input; <paramref name="hungUp"/> runs if the client leaves (closes having sent nothing, or resets).</summary>
    public void Watch(Action<WaitingClient> hungUp) => _watching.TrySetResult(WatchAsync(hungUp));

    /// <summary>Served at once: no waiting read.</summary>
    public void ServeAtOnce() => _watching.TrySetResult(Task.CompletedTask);

    /// <summary>
    /// Its turn came, or the server is done with it: ends the waiting read (leaving all it read unconsumed) and waits
    /// for it. The pipe may then return one cancelled read, which readers take as "nothing new".
    /// </summary>
    public async Task StopWatchingAsync()
    {
        Interlocked.Exchange(ref _turn, 1);
        Task watching = await _watching.Task;
        if (!watching.IsCompleted)
        {
            Connection.Transport.Input.CancelPendingRead();
        }

        await watching;
    }

    private async Task WatchAsync(Action<WaitingClient> hungUp)
    {
        PipeReader input = Connection.Transport.Input;
        try
        {
            while (Volatile.Read(ref _turn) == 0)
            {
                ReadResult read = await input.ReadAsync();
                long buffered = read.Buffer.Length;
                Interlocked.Exchange(ref _buffered, buffered);
                if (read.IsCompleted || read.IsCanceled || buffered >= maxBuffered || Volatile.Read(ref _turn) != 0)
                {
                    // Nothing consumed nor examined: the conversation's first read gets it all at once.
                    input.AdvanceTo(read.Buffer.Start);
                    if (read.IsCompleted && buffered == 0)
                    {
                        hungUp(this); // Gone without a word; one who said something first still gets heard.
                    }

                    return;
                }

                input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            hungUp(this); // Reset, or the connection was closed under us.
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Marcel.Core.Dialogue;

namespace Marcel.Tests.Dialogue;

/// <summary>A dialogue operator for in-process tests: records the positions it is told, takes typed lines from a queue.</summary>
internal sealed class QueueOperator : IDialogueOperator
{
    private readonly Channel<string> _typed = Channel.CreateUnbounded<string>();

    public ConcurrentQueue<int> Positions { get; } = new();

    public int NobodyListeningCount;

    public void Type(string line) => _typed.Writer.TryWrite(line);

    public void Listening(IReadOnlyList<IPEndPoint> endpoints) { }

    public void Ready() { }

    public void ClientWaiting(EndPoint? remote, int position) => Positions.Enqueue(position);

    public void ClientConnected(EndPoint? remote) { }

    public void ClientMessage(string message) { }

    public void ConversationEnded(EndPoint? remote, ConversationEnd reason) { }

    public void NobodyListening() => Interlocked.Increment(ref NobodyListeningCount);

    public void WaitingClientsDropped(int count) { }

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await _typed.Reader.WaitToReadAsync(cancellationToken) && _typed.Reader.TryRead(out string? line) ? line : null;

    public ValueTask<bool> AskRestartAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);
}

using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Marcel.Core.Dialogue;
using Marcel.Tests.Support;

namespace Marcel.Tests.Datagrams;

/// <summary>A dialogue operator for tests: records what the server reports as lines, and takes typed lines.</summary>
internal sealed class DialogueRecorder : IDialogueOperator
{
    private readonly Channel<string> _typed = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _shown = new();
    private readonly SemaphoreSlim _changed = new(0);

    public IReadOnlyCollection<string> Shown => _shown;

    public void Type(string line) => _typed.Writer.TryWrite(line);

    public void Listening(IReadOnlyList<IPEndPoint> endpoints) => Show("listening");

    public void Ready() => Show("ready");

    public void ClientWaiting(EndPoint? remote, int position) => Show($"waiting {remote} {position}");

    public void ClientConnected(EndPoint? remote) => Show($"connected {remote}");

    public void ClientMessage(string message) => Show("C> " + message);

    public void ConversationEnded(EndPoint? remote, ConversationEnd reason) => Show($"ended {reason}");

    public void WaitingClientsDropped(int count) => Show($"dropped {count}");

    public void ReplyTooLong(int maxBytes) => Show($"reply too long {maxBytes}");

    public void ClientTurnedAway(EndPoint? remote) => Show($"turned away {remote}");

    public void NobodyListening() => Show("nobody listening");

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await _typed.Reader.WaitToReadAsync(cancellationToken) && _typed.Reader.TryRead(out string? line) ? line : null;

    public ValueTask<bool> AskRestartAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <summary>Waits until <paramref name="count"/> shown lines contain <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string text, int count = 1)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Timeouts.Step);
        while (_shown.Count(l => l.Contains(text, StringComparison.Ordinal)) < count)
        {
            try
            {
                await _changed.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The console never showed '{text}' x{count}. It showed:\n{string.Join('\n', _shown)}");
            }
        }
    }

    private void Show(string line)
    {
        _shown.Enqueue(line);
        _changed.Release();
    }
}

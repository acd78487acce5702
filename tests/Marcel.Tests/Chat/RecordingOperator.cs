using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Marcel.Core.Chat;
using Marcel.Tests.Support;

namespace Marcel.Tests.Chat;

/// <summary>An operator console for tests: records what the room reports, and takes typed lines.</summary>
internal sealed class RecordingOperator : IChatOperator
{
    private readonly Channel<string> _typed = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _shown = new();
    private readonly SemaphoreSlim _changed = new(0);

    public IReadOnlyList<IPEndPoint> Endpoints { get; private set; } = [];

    public IReadOnlyCollection<string> Shown => _shown;

    public void Listening(IReadOnlyList<IPEndPoint> endpoints) => Endpoints = endpoints;

    public void Traffic(Core.Chat.Events.MemberSaid said)
    {
        foreach (string text in said.Texts()) Show("<" + said.From.Name + "> " + text);
    }

    public void Happened(string text) => Show(text);

    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ReadAsync(cancellationToken);

    public void Type(string line) => _typed.Writer.TryWrite(line);

    public void CloseInput() => _typed.Writer.TryComplete();

    /// <summary>Waits until a shown line contains <paramref name="text"/>; returns that line.</summary>
    public async Task<string> WaitForAsync(string text)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Timeouts.Step);
        while (true)
        {
            string? found = _shown.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (found is not null) return found;
            try
            {
                await _changed.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The console never showed '{text}'. It showed:\n{string.Join('\n', _shown)}");
            }
        }
    }

    private async ValueTask<string?> ReadAsync(CancellationToken cancellationToken) =>
        await _typed.Reader.WaitToReadAsync(cancellationToken) && _typed.Reader.TryRead(out string? line) ? line : null;

    private void Show(string line)
    {
        _shown.Enqueue(line);
        _changed.Release();
    }
}

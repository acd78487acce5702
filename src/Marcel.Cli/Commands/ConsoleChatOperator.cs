using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Chat;
using Marcel.Core.Resources;

namespace Marcel.Cli.Commands;

/// <summary>
/// The chat room's operator at the console: traffic and events are queued and printed in batches by one writer,
/// so a slow terminal never slows the room; past <see cref="Capacity"/> waiting lines, lines are counted and
/// dropped, and the count is shown.
/// </summary>
internal sealed class ConsoleChatOperator : IChatOperator, IAsyncDisposable
{
    private const int Capacity = 10_000;
    private const string Prompt = "> ";

    private readonly ConsoleTerminal _terminal;
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private readonly Task _writer;
    private int _dropped;

    public ConsoleChatOperator(ConsoleTerminal terminal)
    {
        _terminal = terminal;
        _writer = WriteAsync();
    }

    public void Listening(IReadOnlyList<IPEndPoint> endpoints)
    {
        _terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, ChatStrings.OpListening, string.Join(", ", endpoints)));
        _terminal.SetPrompt(Prompt);
    }

    public void Traffic(string from, string text) => Show("<" + from + "> " + SafeText.ForTerminal(text));

    public void Happened(string text) => Show(SafeText.ForTerminal(text));

    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => _terminal.ReadLineAsync(cancellationToken);

    /// <summary>Prints what is still queued, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer;
    }

    private void Show(string line)
    {
        if (!_lines.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task WriteAsync()
    {
        var batch = new List<string>(256);
        while (await _lines.Reader.WaitToReadAsync())
        {
            while (batch.Count < 1024 && _lines.Reader.TryRead(out string? line))
            {
                batch.Add(line);
            }

            if (Interlocked.Exchange(ref _dropped, 0) is > 0 and int dropped)
            {
                batch.Add(string.Format(CultureInfo.CurrentCulture, ChatHelp.ConsoleDropped, dropped));
            }

            _terminal.WriteLines(batch);
            batch.Clear();
        }
    }
}

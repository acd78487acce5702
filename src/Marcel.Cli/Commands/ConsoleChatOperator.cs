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

    /// <summary>
    /// How long the writer lets lines gather once it has written all it had: the console is read by a person, who sees
    /// no 10 ms, while waking the writer for each line said cost a thread wake-up per line (on a busy room, a large part
    /// of the server's CPU per line: perf, bench/udp). A writer that is behind never waits.
    /// </summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(10);
    private const string Prompt = "> ";

    private readonly ConsoleTerminal _terminal;
    private readonly Channel<object> _lines = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private readonly Task _writer;
    private int _dropped;

    public ConsoleChatOperator(ConsoleTerminal terminal)
    {
        _terminal = terminal;
        _writer = WriteAsync();
    }

    /// <summary>Where browsers find the room's page (<c>--web</c>), shown under the listening line; none by default.</summary>
    public IReadOnlyList<Uri> Pages { get; set; } = [];

    /// <summary>How many of the listening endpoints, at the end of the list, take datagrams (<c>--udp</c>, <c>--udp-port</c>); none by default.</summary>
    public int DatagramEndPoints { get; set; }

    public void Listening(IReadOnlyList<IPEndPoint> endpoints)
    {
        _terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, ChatStrings.OpListening, ListeningEndPoints.Join(endpoints, DatagramEndPoints)));
        foreach (Uri page in Pages)
        {
            _terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, WebHelp.PageAt, page));
        }

        _terminal.SetPrompt(Prompt);
    }

    /// <summary>Queues the batch as it is: its lines are decoded and made safe by the writer, off the room's threads.</summary>
    public void Traffic(Core.Chat.Events.MemberSaid said) => Show(said);

    public void Happened(string text) => Show(text);

    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => _terminal.ReadLineAsync(cancellationToken);

    /// <summary>Prints what is still queued, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer;
    }

    private void Show(object line)
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
            while (batch.Count < 1024 && _lines.Reader.TryRead(out object? item))
            {
                if (item is Core.Chat.Events.MemberSaid said)
                {
                    string prefix = "<" + said.From.Name + "> ";
                    foreach (string text in said.Texts()) batch.Add(prefix + SafeText.ForTerminal(text));
                }
                else
                {
                    batch.Add(SafeText.ForTerminal((string)item));
                }
            }

            if (Interlocked.Exchange(ref _dropped, 0) is > 0 and int dropped)
            {
                batch.Add(dropped == 1 ? ChatHelp.ConsoleDroppedOne : string.Format(CultureInfo.CurrentCulture, ChatHelp.ConsoleDropped, dropped));
            }

            _terminal.WriteLines(batch);
            batch.Clear();
            if (_lines.Reader.Count == 0 && !_lines.Reader.Completion.IsCompleted)
            {
                await Task.Delay(Gather);
            }
        }
    }
}

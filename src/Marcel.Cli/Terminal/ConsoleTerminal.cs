using System.Threading.Channels;

namespace Marcel.Cli.Terminal;

/// <summary>
/// The user's console for the interactive commands: lines typed (or piped) in, messages out. In a terminal the
/// line being typed stays at the bottom; a message that arrives meanwhile is printed above it and the half-typed
/// line is redrawn under it. With stdin redirected, lines are read as they come and no prompt is drawn.
/// </summary>
internal sealed class ConsoleTerminal : IDisposable
{
    private readonly object _screen = new();
    private readonly Channel<string> _typed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly LineEditor _editor = new();
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly bool _interactive;
    private string _prompt = string.Empty;
    private bool _started;

    public ConsoleTerminal(TextWriter output, TextWriter error, bool interactive)
    {
        _out = output;
        _error = error;
        _interactive = interactive;
    }

    /// <summary>A terminal over the process's console: interactive when stdin and stdout are terminals.</summary>
    public static ConsoleTerminal ForConsole() =>
        new(Console.Out, Console.Error, !Console.IsInputRedirected && !Console.IsOutputRedirected);

    /// <summary>True when a person types at a terminal (a prompt is drawn and keys are edited).</summary>
    public bool IsInteractive => _interactive;

    /// <summary>Sets the prompt drawn before the line being typed (interactive only).</summary>
    public void SetPrompt(string prompt)
    {
        lock (_screen)
        {
            _prompt = prompt;
            if (_interactive && _started) RedrawInputLine();
        }
    }

    /// <summary>Prints a line above the one being typed.</summary>
    public void WriteLine(string text)
    {
        lock (_screen)
        {
            if (_interactive && _started)
            {
                _out.Write("\r\u001b[K");
                _out.WriteLine(text);
                RedrawInputLine();
            }
            else
            {
                _out.WriteLine(text);
            }

            _out.Flush();
        }
    }

    /// <summary>Prints several lines above the one being typed, with one flush: for a busy chat room's console.</summary>
    public void WriteLines(IReadOnlyList<string> lines)
    {
        lock (_screen)
        {
            if (_interactive && _started) _out.Write("\r\u001b[K");
            foreach (string line in lines) _out.WriteLine(line);
            if (_interactive && _started) RedrawInputLine();
            _out.Flush();
        }
    }

    /// <summary>Prints a question on its own, without a newline, when no prompt will show it (piped input).</summary>
    public void Ask(string question)
    {
        if (_interactive)
        {
            SetPrompt(question);
            return;
        }

        lock (_screen)
        {
            _out.Write(question);
            _out.Flush();
        }
    }

    /// <summary>Prints an error line on stderr.</summary>
    public void WriteError(string text)
    {
        lock (_screen)
        {
            if (_interactive && _started) _out.Write("\r\u001b[K");
            _error.WriteLine(text);
            _error.Flush();
            if (_interactive && _started) RedrawInputLine();
        }
    }

    /// <summary>The next line typed; null when input has ended. Cancelling loses nothing: the line stays queued.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        StartReading();
        return await _typed.Reader.WaitToReadAsync(cancellationToken) && _typed.Reader.TryRead(out string? line) ? line : null;
    }

    public void Dispose()
    {
        lock (_screen)
        {
            if (_interactive && _started)
            {
                _out.Write("\r\u001b[K");
                _out.Flush();
            }
        }
    }

    private void StartReading()
    {
        lock (_screen)
        {
            if (_started) return;
            _started = true;
            if (_interactive)
            {
                Platform.TerminalModes.Current.EnableEscapeSequences();
                RedrawInputLine();
            }
        }

        // Console reads block a thread and cannot be cancelled: one reader thread feeds a queue for the whole run.
        var reader = new Thread(_interactive ? ReadKeys : ReadPipedLines) { IsBackground = true, Name = "console input" };
        reader.Start();
    }

    private void ReadPipedLines()
    {
        while (Console.In.ReadLine() is { } line)
        {
            _typed.Writer.TryWrite(line);
        }

        _typed.Writer.TryComplete();
    }

    private void ReadKeys()
    {
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            lock (_screen)
            {
                switch (_editor.Apply(key))
                {
                    case EditResult.Submitted:
                        string line = _editor.TakeLine();
                        _out.Write("\r\u001b[K");
                        _out.WriteLine(_prompt + line);
                        RedrawInputLine();
                        _typed.Writer.TryWrite(line);
                        break;
                    case EditResult.EndOfInput:
                        _out.Write("\r\u001b[K");
                        _out.Flush();
                        _typed.Writer.TryComplete();
                        return;
                    default:
                        RedrawInputLine();
                        break;
                }
            }
        }
    }

    private void RedrawInputLine()
    {
        string text = _editor.Text;
        _out.Write("\r\u001b[K");
        _out.Write(_prompt);
        _out.Write(text);
        int back = text.Length - _editor.Cursor;
        if (back > 0) _out.Write($"\u001b[{back}D");
        _out.Flush();
    }
}

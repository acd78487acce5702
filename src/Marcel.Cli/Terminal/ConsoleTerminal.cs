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
    private TextWriter _out;
    private TextWriter _error;
    private readonly bool _interactive;
    private readonly System.Text.StringBuilder _appended = new();
    private string _prompt = string.Empty;
    private bool _redrawPending;
    private bool _inputEnded;
    private bool _started;
    private bool _lineModeOff;

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
            if (_inputEnded) return;
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

    /// <summary>
    /// Ends the line being typed where it is (Ctrl-C arrived: the tty has echoed "^C" after it) and stops drawing a
    /// prompt: what is printed next starts on a fresh line, the question asked stays on the screen, and the shell's
    /// prompt after the exit does not land on the same line.
    /// </summary>
    public void EndInputLine() => EndInputLine(hungUp: false);

    /// <summary>
    /// As <see cref="EndInputLine()"/>; with <paramref name="hungUp"/> (SIGHUP: the terminal was closed) every later write
    /// goes nowhere, since writing to a hung-up terminal fails (EIO) and must not stop the goodbyes to the clients.
    /// </summary>
    public void EndInputLine(bool hungUp)
    {
        lock (_screen)
        {
            if (hungUp)
            {
                (_out, _error, _inputEnded) = (TextWriter.Null, TextWriter.Null, true);
                Console.SetOut(TextWriter.Null);
                Console.SetError(TextWriter.Null);
                return;
            }

            if (_interactive && _started && !_inputEnded)
            {
                _out.WriteLine();
                _out.Flush();
            }

            _inputEnded = true;
            _prompt = string.Empty;
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

            if (_lineModeOff)
            {
                Platform.TerminalModes.Current.SetLineMode(true);
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
                // Between two key reads too: a paste is neither echoed by the tty nor cut at its line buffer's size.
                _lineModeOff = Platform.TerminalModes.Current.SetLineMode(false);
                RedrawInputLine();
            }
        }

        // Console reads block a thread and cannot be cancelled: one reader thread feeds a queue for the whole run.
        var reader = new Thread(_interactive ? ReadKeys : ReadPipedLines) { IsBackground = true, Name = "console input" };
        reader.Start();
    }

    private void ReadPipedLines()
    {
        try
        {
            while (Console.In.ReadLine() is { } line)
            {
                _typed.Writer.TryWrite(line);
            }
        }
        catch (IOException)
        {
            // The terminal was closed under us (SIGHUP follows): that is the end of the input.
        }

        _typed.Writer.TryComplete();
    }

    private void ReadKeys()
    {
        try
        {
            EditKeys();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The terminal was closed under us (SIGHUP follows): that is the end of the input.
            _typed.Writer.TryComplete();
        }
    }

    private void EditKeys()
    {
        // What the screen lacks of the line being typed: typed at its end since the last drawing (append only), or a
        // full redraw. Drawing waits while more keys are queued (a paste), and typing at the end draws one character,
        // not the line: a 100,000-character paste once wrote gigabytes, each key redrawing the whole line.
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            lock (_screen)
            {
                int length = _editor.Length;
                bool atEnd = _editor.Cursor == length;
                switch (_editor.Apply(key))
                {
                    case EditResult.Submitted:
                        string line = _editor.TakeLine();
                        _out.Write("\r\u001b[K");
                        _out.WriteLine(_prompt + line);
                        RedrawInputLine();
                        _typed.Writer.TryWrite(line);
                        continue;
                    case EditResult.EndOfInput:
                        _out.Write("\r\u001b[K");
                        _out.Flush();
                        _typed.Writer.TryComplete();
                        return;
                }

                if (!_redrawPending && atEnd && _editor.Length == length + 1 && _editor.Cursor == length + 1)
                {
                    _appended.Append(key.KeyChar);
                }
                else if (_editor.Length != length || _editor.Cursor != length || !atEnd)
                {
                    _redrawPending = true;
                }

                if (!KeyQueued())
                {
                    DrawPendingInput();
                }
            }
        }
    }

    private static bool KeyQueued()
    {
        try
        {
            return Console.KeyAvailable;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private void DrawPendingInput()
    {
        if (_redrawPending)
        {
            RedrawInputLine();
        }
        else if (_appended.Length > 0)
        {
            _out.Write(_appended);
            _appended.Clear();
            _out.Flush();
        }
    }

    private void RedrawInputLine()
    {
        _redrawPending = false;
        _appended.Clear();
        if (_inputEnded)
        {
            return;
        }

        string text = _editor.Text;
        _out.Write("\r\u001b[K");
        _out.Write(_prompt);
        _out.Write(text);
        int back = text.Length - _editor.Cursor;
        if (back > 0) _out.Write($"\u001b[{back}D");
        _out.Flush();
    }
}

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
    private readonly System.Text.StringBuilder _pending = new();
    private string _prompt = string.Empty;
    private bool _redrawPending;
    private bool _inputEnded;
    private bool _started;
    private bool _lineModeOff;

    // Where the screen's cursor stands in the line being typed, so that an edit can be drawn as a short move instead
    // of the whole line: the index it shows in the text (-1 when not known), the prompt's length when it was drawn,
    // and whether it got there by printing (a terminal that printed into the last column waits there to wrap) rather
    // than by our own moves.
    // The same as last flushed: what the screen shows while keys of a paste wait to be drawn.
    private int _shownAt = -1;
    private int _shownPromptLength;
    private bool _printedTo;
    private int _drawnAt = -1;
    private bool _drawnPrintedTo;

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
                ClearInput();
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
            if (_interactive && _started) ClearInput();
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

            // Before the line editor has started too: the tty, still in its own line mode, has echoed "^C" just the
            // same (a Ctrl-C right after "Server ready" left the shell's prompt on that line; seen in CI).
            if (_interactive && !_inputEnded)
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
            if (_interactive && _started) ClearInput();
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
                ClearInput();
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
        // What the screen lacks of the line being typed: a few bytes for an edit at the end or a cursor move (a
        // character, a backspace, an arrow), else a full redraw. Drawing waits while more keys are queued (a paste),
        // and no key's drawing grows with the line's length but those that change its middle: a 100,000-character
        // paste once wrote gigabytes, each key redrawing the whole line.
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            lock (_screen)
            {
                int length = _editor.Length;
                int cursor = _editor.Cursor;
                switch (_editor.Apply(key))
                {
                    case EditResult.Submitted:
                        string line = _editor.TakeLine();
                        ClearInput();
                        _out.WriteLine(_prompt + line);
                        RedrawInputLine();
                        _typed.Writer.TryWrite(line);
                        continue;
                    case EditResult.EndOfInput:
                        ClearInput();
                        _out.Flush();
                        _typed.Writer.TryComplete();
                        return;
                }

                if (!_redrawPending && !DrawnBySmallSteps(key, length, cursor))
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

    /// <summary>
    /// Adds to <see cref="_pending"/> what shows the key's edit in a few bytes, if it can be: a character typed at the end,
    /// a backspace at the end, a cursor move. False when only a redraw can show it.
    /// </summary>
    private bool DrawnBySmallSteps(ConsoleKeyInfo key, int length, int cursor)
    {
        bool atEnd = cursor == length;
        if (_editor.Length == length && _editor.Cursor == cursor && key.Key is not (ConsoleKey.UpArrow or ConsoleKey.DownArrow))
        {
            return true; // Nothing changed (a backspace at the start, an arrow against an end).
        }

        if (atEnd && _editor.Length == length + 1 && _editor.Cursor == length + 1)
        {
            _pending.Append(key.KeyChar);
            if (_shownAt == cursor)
            {
                (_shownAt, _printedTo) = (_editor.Cursor, true);
            }

            return true;
        }

        if (_shownAt != cursor || _shownPromptLength != _prompt.Length)
        {
            return false;
        }

        bool control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        if (key.Key == ConsoleKey.Backspace && atEnd && _editor.Length == length - 1)
        {
            // To the erased character's cell (on the row above when it began a row), and clear from there.
            MoveTo(_editor.Length, Width());
            _pending.Append("\u001b[K");
            return true;
        }

        bool moveOnly = key.Key is ConsoleKey.LeftArrow or ConsoleKey.RightArrow or ConsoleKey.Home or ConsoleKey.End
            || (control && key.Key is ConsoleKey.A or ConsoleKey.E or ConsoleKey.B or ConsoleKey.F);
        return moveOnly && _editor.Length == length && MoveToCursor(Width());
    }

    /// <summary>Moves to the editor's cursor; at the end of a line that fills its last row, by printing its last character again.</summary>
    private bool MoveToCursor(int width)
    {
        int target = _editor.Cursor;
        int end = _prompt.Length + target;
        if (target == _editor.Length && end > 0 && end % width == 0)
        {
            // The row after a full one does not exist until the terminal wraps into it: print the last character
            // again, and the cursor waits after it, as after typing it.
            if (target == 0 || char.IsSurrogate(_editor[target - 1]))
            {
                return false;
            }

            MoveTo(target - 1, width);
            _pending.Append(_editor[target - 1]);
            (_shownAt, _printedTo) = (target, true);
            return true;
        }

        MoveTo(target, width);
        return true;
    }

    /// <summary>
    /// Moves the screen's cursor from <see cref="_shownAt"/> to the cell of <paramref name="index"/>, with relative row
    /// moves and an absolute column (which also ends a terminal's wait to wrap). Assumes a character takes one column.
    /// </summary>
    private void MoveTo(int index, int width)
    {
        (int fromRow, _) = Cell(_shownAt, _printedTo, width);
        (int toRow, int toColumn) = Cell(index, printedTo: false, width);
        if (toRow < fromRow) _pending.Append("\u001b[").Append(fromRow - toRow).Append('A');
        if (toRow > fromRow) _pending.Append("\u001b[").Append(toRow - fromRow).Append('B');
        _pending.Append("\u001b[").Append(toColumn + 1).Append('G');
        (_shownAt, _printedTo) = (index, false);
    }

    /// <summary>
    /// The row (from the prompt's) and column of the cursor standing at <paramref name="index"/> in the text; printed to
    /// the end of a row, it still stands in that row's last column.
    /// </summary>
    private (int Row, int Column) Cell(int index, bool printedTo, int width)
    {
        int position = _shownPromptLength + index;
        return printedTo && position > 0 && position % width == 0
            ? ((position / width) - 1, width - 1)
            : (position / width, position % width);
    }

    /// <summary>The terminal's width in columns; without one (a pseudo-terminal given no size), no wrapping is assumed.</summary>
    private static int Width()
    {
        try
        {
            return Console.WindowWidth is > 0 and var width ? width : int.MaxValue;
        }
        catch (IOException)
        {
            return int.MaxValue;
        }
    }

    /// <summary>Erases the line being typed, all its rows when known, and leaves the cursor at the start of its first row.</summary>
    private void ClearInput()
    {
        _pending.Clear();
        int row = _drawnAt < 0 ? 0 : Cell(_drawnAt, _drawnPrintedTo, Width()).Row;
        _out.Write(row > 0 ? $"\u001b[{row}A\r\u001b[J" : "\r\u001b[K");
        (_shownAt, _drawnAt) = (-1, -1);
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
        else if (_pending.Length > 0)
        {
            _out.Write(_pending);
            _pending.Clear();
            _out.Flush();
            (_drawnAt, _drawnPrintedTo) = (_shownAt, _printedTo);
        }
    }

    private void RedrawInputLine()
    {
        _redrawPending = false;
        if (_inputEnded)
        {
            _pending.Clear();
            return;
        }

        ClearInput();
        _out.Write(_prompt);
        _out.Write(_editor.Text);
        (_shownAt, _shownPromptLength, _printedTo) = (_editor.Length, _prompt.Length, true);
        if (_editor.Cursor < _editor.Length)
        {
            MoveTo(_editor.Cursor, Width());
            _out.Write(_pending);
            _pending.Clear();
        }

        (_drawnAt, _drawnPrintedTo) = (_shownAt, _printedTo);
        _out.Flush();
    }
}

using System.Text;

namespace Marcel.Cli.Terminal;

/// <summary>What a key did to the line being edited.</summary>
internal enum EditResult
{
    /// <summary>The line changed (or not): redraw it.</summary>
    Edited,

    /// <summary>Enter: <see cref="LineEditor.TakeLine"/> returns the line.</summary>
    Submitted,

    /// <summary>Ctrl-D on an empty line: the user's input is over.</summary>
    EndOfInput,
}

/// <summary>
/// The state of one editable line with history: the usual keys of a shell prompt (arrows, Home/End, Ctrl-A/E/U/K/W,
/// Backspace/Delete, Up/Down for history). Pure: it never touches the console, so it is tested key by key.
/// </summary>
internal sealed class LineEditor
{
    private const int HistoryLimit = 500;
    private readonly StringBuilder _line = new();
    private readonly List<string> _history = [];
    private int _historyIndex;
    private string _draft = string.Empty;

    /// <summary>The text typed so far.</summary>
    public string Text => _line.ToString();

    /// <summary>The length of <see cref="Text"/>, without building the string.</summary>
    public int Length => _line.Length;

    /// <summary>One character of <see cref="Text"/>, without building the string.</summary>
    public char this[int index] => _line[index];

    /// <summary>The cursor's position in <see cref="Text"/>.</summary>
    public int Cursor { get; private set; }

    /// <summary>Applies one key.</summary>
    public EditResult Apply(ConsoleKeyInfo key)
    {
        bool control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return EditResult.Submitted;
            case ConsoleKey.D when control && _line.Length == 0:
                return EditResult.EndOfInput;
            case ConsoleKey.D when control:
            case ConsoleKey.Delete:
                if (Cursor < _line.Length) _line.Remove(Cursor, 1);
                break;
            case ConsoleKey.Backspace:
                if (Cursor > 0) _line.Remove(--Cursor, 1);
                break;
            case ConsoleKey.LeftArrow:
            case ConsoleKey.B when control:
                Cursor = Math.Max(0, Cursor - 1);
                break;
            case ConsoleKey.RightArrow:
            case ConsoleKey.F when control:
                Cursor = Math.Min(_line.Length, Cursor + 1);
                break;
            case ConsoleKey.Home:
            case ConsoleKey.A when control:
                Cursor = 0;
                break;
            case ConsoleKey.End:
            case ConsoleKey.E when control:
                Cursor = _line.Length;
                break;
            case ConsoleKey.U when control:
                _line.Remove(0, Cursor);
                Cursor = 0;
                break;
            case ConsoleKey.K when control:
                _line.Remove(Cursor, _line.Length - Cursor);
                break;
            case ConsoleKey.W when control:
                DeleteWordBeforeCursor();
                break;
            case ConsoleKey.UpArrow:
            case ConsoleKey.P when control:
                Recall(-1);
                break;
            case ConsoleKey.DownArrow:
            case ConsoleKey.N when control:
                Recall(+1);
                break;
            default:
                if (!control && !char.IsControl(key.KeyChar))
                {
                    _line.Insert(Cursor++, key.KeyChar);
                }

                break;
        }

        return EditResult.Edited;
    }

    /// <summary>Returns the submitted line, records it in the history and starts a new empty line.</summary>
    public string TakeLine()
    {
        string line = _line.ToString();
        if (line.Length > 0 && (_history.Count == 0 || _history[^1] != line))
        {
            _history.Add(line);
            if (_history.Count > HistoryLimit) _history.RemoveAt(0);
        }

        _line.Clear();
        Cursor = 0;
        _historyIndex = _history.Count;
        _draft = string.Empty;
        return line;
    }

    private void Recall(int step)
    {
        int target = _historyIndex + step;
        if (target < 0 || target > _history.Count)
        {
            return;
        }

        if (_historyIndex == _history.Count)
        {
            _draft = _line.ToString(); // Keep what was being typed, as shells do.
        }

        _historyIndex = target;
        _line.Clear().Append(target == _history.Count ? _draft : _history[target]);
        Cursor = _line.Length;
    }

    private void DeleteWordBeforeCursor()
    {
        int start = Cursor;
        while (start > 0 && _line[start - 1] == ' ') start--;
        while (start > 0 && _line[start - 1] != ' ') start--;
        _line.Remove(start, Cursor - start);
        Cursor = start;
    }
}

using Marcel.Cli.Terminal;

namespace Marcel.Tests.Cli;

public class LineEditorTests
{
    private static ConsoleKeyInfo Key(ConsoleKey key, char c = '\0', bool control = false) => new(c, key, shift: false, alt: false, control);

    private static void Type(LineEditor editor, string text)
    {
        foreach (char c in text) editor.Apply(Key(ConsoleKey.A, c));
    }

    [Fact]
    public void Typed_characters_are_inserted_at_the_cursor()
    {
        var editor = new LineEditor();
        Type(editor, "bjour");
        editor.Apply(Key(ConsoleKey.Home));
        editor.Apply(Key(ConsoleKey.RightArrow));
        Type(editor, "on");
        Assert.Equal("bonjour", editor.Text);
        Assert.Equal(3, editor.Cursor);
    }

    [Fact]
    public void Backspace_delete_and_ctrl_W_remove_what_shells_remove()
    {
        var editor = new LineEditor();
        Type(editor, "salut le monde");
        editor.Apply(Key(ConsoleKey.W, control: true));
        Assert.Equal("salut le ", editor.Text);
        editor.Apply(Key(ConsoleKey.Backspace));
        editor.Apply(Key(ConsoleKey.Home));
        editor.Apply(Key(ConsoleKey.Delete));
        Assert.Equal("alut le", editor.Text);
    }

    [Fact]
    public void Enter_submits_and_history_recalls_earlier_lines_keeping_the_draft()
    {
        var editor = new LineEditor();
        Type(editor, "un");
        Assert.Equal(EditResult.Submitted, editor.Apply(Key(ConsoleKey.Enter)));
        Assert.Equal("un", editor.TakeLine());
        Type(editor, "deux");
        editor.TakeLine();
        Type(editor, "brouillon");

        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("deux", editor.Text);
        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("un", editor.Text);
        editor.Apply(Key(ConsoleKey.DownArrow));
        editor.Apply(Key(ConsoleKey.DownArrow));
        Assert.Equal("brouillon", editor.Text);
    }

    [Fact]
    public void Ctrl_D_ends_input_only_on_an_empty_line()
    {
        var editor = new LineEditor();
        Type(editor, "x");
        editor.Apply(Key(ConsoleKey.Home));
        Assert.Equal(EditResult.Edited, editor.Apply(Key(ConsoleKey.D, control: true)));
        Assert.Equal(string.Empty, editor.Text);
        Assert.Equal(EditResult.EndOfInput, editor.Apply(Key(ConsoleKey.D, control: true)));
    }
}

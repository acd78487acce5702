using Marcel.Cli.Platform;
using Marcel.Cli.Terminal;
using Marcel.Core;

namespace Marcel.Tests.Platform;

/// <summary>The terminal seam: which implementation each system gets, termios' echo bit, and the password prompt over the seam.</summary>
public class TerminalModesTests
{
    [Theory]
    [InlineData(OsKind.Linux)]
    [InlineData(OsKind.MacOS)]
    [InlineData(OsKind.OtherUnix)]
    public void Every_Unix_gets_termios(OsKind os) => Assert.IsType<UnixTerminalModes>(TerminalModes.For(os));

    [Fact]
    public void Windows_console_modes_are_never_picked_where_there_is_no_Windows()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "This is Windows.");
        Assert.Throws<PlatformNotSupportedException>(() => TerminalModes.For(OsKind.Windows));
    }

    [Theory]
    [InlineData(12, 4)]
    [InlineData(24, 8)]
    public void Echo_is_one_bit_of_c_lflag_and_nothing_else_changes(int offset, int size)
    {
        var layout = offset == 12 ? UnixTerminalModes.LinuxLayout : UnixTerminalModes.MacOSLayout;
        Assert.Equal((offset, size), (layout.LocalFlagsOffset, layout.FlagSize));
        byte[] termios = Enumerable.Range(0, 80).Select(i => (byte)(i * 7)).ToArray();
        termios[offset] = 0b1011_1011; // ECHO (bit 3) on, among others
        byte[] before = (byte[])termios.Clone();

        UnixTerminalModes.WithEcho(termios, layout, on: false);
        Assert.Equal(0b1011_0011, termios[offset]);
        Assert.Equal(before.Where((_, i) => i != offset), termios.Where((_, i) => i != offset));

        UnixTerminalModes.WithEcho(termios, layout, on: true);
        Assert.Equal(before, termios);
    }

    [Theory]
    [InlineData(12, 0x800Au)] // Linux: ICANON 0x2, ECHO 0x8, IEXTEN 0x8000
    [InlineData(24, 0x508u)] // macOS: ICANON 0x100, ECHO 0x8, IEXTEN 0x400
    public void Line_mode_off_clears_ICANON_ECHO_and_IEXTEN_and_nothing_else(int offset, uint bits)
    {
        var layout = offset == 12 ? UnixTerminalModes.LinuxLayout : UnixTerminalModes.MacOSLayout;
        byte[] termios = Enumerable.Range(0, 80).Select(i => (byte)(i * 7)).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(termios.AsSpan(offset), 0xFFFF_FFFF);
        byte[] before = (byte[])termios.Clone();

        UnixTerminalModes.WithoutLineMode(termios, layout);

        Assert.Equal(~bits, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(termios.AsSpan(offset)));
        Assert.Equal(before.Where((_, i) => i < offset || i >= offset + 4), termios.Where((_, i) => i < offset || i >= offset + 4));
    }

    [Fact]
    public void The_password_prompt_turns_echo_off_before_it_shows_and_back_on_after()
    {
        var events = new List<string>();
        var terminal = new RecordingTerminal(events, canChangeEcho: true);
        var error = new RecordingWriter(events);
        ConsoleKeyInfo[] keys = [Key('s'), Key('e'), Key('x'), Key('\b', ConsoleKey.Backspace), Key('c'), Key('é'), Key('\r', ConsoleKey.Enter)];
        int next = 0;

        string secret = PasswordPrompt.Ask("Password: ", terminal, error, () => { events.Add("key"); return keys[next++]; });

        Assert.Equal("secé", secret);
        Assert.Equal(["echo off", "write Password: ", "key", "key", "key", "key", "key", "key", "key", "write \n", "echo on"], events);
        Assert.DoesNotContain("sec", string.Concat(events.Where(e => e.StartsWith("write", StringComparison.Ordinal))), StringComparison.Ordinal);
    }

    [Fact]
    public void Where_echo_could_not_be_turned_off_it_is_not_turned_on_after()
    {
        var events = new List<string>();
        string secret = PasswordPrompt.Ask("P: ", new RecordingTerminal(events, canChangeEcho: false), new RecordingWriter(events), () => Key('\r', ConsoleKey.Enter));
        Assert.Equal(string.Empty, secret);
        Assert.DoesNotContain("echo on", events);
    }

    private static ConsoleKeyInfo Key(char c, ConsoleKey key = ConsoleKey.A) => new(c, key, shift: false, alt: false, control: false);

    private sealed class RecordingTerminal(List<string> events, bool canChangeEcho) : ITerminalModes
    {
        public bool SetEcho(bool on)
        {
            if (canChangeEcho) events.Add(on ? "echo on" : "echo off");
            return canChangeEcho;
        }

        public bool SetLineMode(bool on) => false;

        public void EnableEscapeSequences() => events.Add("escapes");
    }

    private sealed class RecordingWriter(List<string> events) : StringWriter
    {
        public override void Write(string? value) => events.Add("write " + value);

        public override void WriteLine() => events.Add("write \n");
    }
}

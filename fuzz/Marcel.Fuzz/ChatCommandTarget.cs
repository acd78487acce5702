using System.Buffers;
using Marcel.Core.Chat;
using Marcel.Core.Framing;

namespace Marcel.Fuzz;

/// <summary>
/// Fuzz target for the chat's line handling as a stranger reaches it: bytes framed into lines, decoded, then told
/// apart as commands or messages. The parser must never throw and must keep its grammar's promises.
/// </summary>
internal static class ChatCommandTarget
{
    private const string ServerName = "Marcel";

    public static void Run(byte[] raw)
    {
        FuzzInput input = FuzzInput.Parse(raw);
        var buffer = new ReadOnlySequence<byte>(input.Data);
        while (LineFramer.TryReadLine(ref buffer, input.MaxLineBytes, out ReadOnlySequence<byte> line) == LineStatus.Complete)
        {
            Check(LineFramer.Decode(line));
        }

        Check(LineFramer.Decode(LineFramer.TakeRemainder(buffer)));
    }

    private static void Check(string line)
    {
        bool isCommand = ChatCommandParser.TryParse(line, out ChatCommand command);
        bool again = ChatCommandParser.TryParse(line, out ChatCommand second);
        InvariantException.Check(isCommand == again && command == second, "parsing the same line twice gave two answers");

        // Blanks around a line change nothing (the grammar ignores them).
        bool padded = ChatCommandParser.TryParse(" \t" + line + "\t ", out ChatCommand paddedCommand);
        InvariantException.Check(padded == isCommand && paddedCommand == command, "blanks around the line changed its meaning");

        string trimmed = line.Trim();
        if (!isCommand)
        {
            InvariantException.Check(!trimmed.StartsWith('/') && !trimmed.Equals("FIN", StringComparison.OrdinalIgnoreCase), "a command was taken for a message");
            return;
        }

        InvariantException.Check(trimmed.StartsWith('/') || trimmed.Equals("FIN", StringComparison.OrdinalIgnoreCase), "a message was taken for a command");
        switch (command.Kind)
        {
            case ChatCommandKind.Nick or ChatCommandKind.Kick:
                InvariantException.Check(command.Argument == command.Argument.Trim(), "a name argument kept blanks around it");
                if (ChatNames.IsValid(command.Argument, ServerName))
                {
                    InvariantException.Check(command.Argument.Length is > 0 and <= ChatNames.MaxLength && command.Argument.All(char.IsAscii), "an invalid name was accepted");
                    InvariantException.Check(!string.Equals(command.Argument, ServerName, StringComparison.OrdinalIgnoreCase), "the server's name was accepted");
                }

                break;
            case ChatCommandKind.Unknown:
                InvariantException.Check(command.Argument.StartsWith('/') && command.Argument.IndexOfAny([' ', '\t']) < 0, "an unknown command's word is not one word");
                break;
            default:
                InvariantException.Check(command.Argument.Length == 0, "a command without argument got one");
                break;
        }
    }
}

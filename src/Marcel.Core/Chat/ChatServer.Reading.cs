using System.Buffers;
using Marcel.Core.Framing;
using Marcel.Core.Resources;

namespace Marcel.Core.Chat;

public sealed partial class ChatServer
{
    private const int BatchFlushBytes = 64 * 1024;

    /// <summary>
    /// Lines read from one sender while more were already buffered: broadcast together, as one array per read, so a
    /// client that writes 64 lines at once costs one enqueue per receiver, not 64. Thread-static because it is
    /// always flushed before the reader awaits; the owner field guards against a batch left by a failure.
    /// </summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_batch;

    [ThreadStatic]
    private static ChatMember? t_batchOwner;

    /// <summary>Reads the member's lines until it leaves; returns why it left.</summary>
    private async Task<ChatCloseReason> ReadAsync(ChatMember member)
    {
        // A quiet member waits with a zero-byte read: no buffer, no pipe read, no frames; and its reader is made when it
        // first sends, so a member who only listens never holds one.
        LineReader? reader = null;
        try
        {
            while (true)
            {
                if (reader is null || !reader.HasBufferedInput())
                {
                    FlushBatch(member);
                    await member.Connection.WaitForDataAsync(member.Stopping);
                }

                reader ??= NewReader(member);
                ValueTask<LineReadResult> next = reader.ReadAsync(member.Stopping);
                if (!next.IsCompleted)
                {
                    FlushBatch(member); // Nothing more is buffered: what we have goes out before we wait.
                }

                LineReadResult read = await next;
                switch (read.Kind)
                {
                    case LineReadKind.EndOfStream:
                        return ChatCloseReason.HungUp;
                    case LineReadKind.TooLong:
                        Log.LineTooLong(_logger, member.Remote, _options.Lines.MaxLineBytes);
                        return ChatCloseReason.TooLong;
                }

                member.Heard(_time.GetTimestamp());
                if (ChatCommandParser.TryParse(read.Text, out ChatCommand command))
                {
                    FlushBatch(member); // Commands take effect after the lines said before them.
                    if (!Obey(member, command))
                    {
                        return ChatCloseReason.Quit;
                    }
                }
                else if (!read.Text.AsSpan().Trim().IsEmpty)
                {
                    AddToBatch(member, read.Text);
                }
            }
        }
        catch (OperationCanceledException) when (member.StopReason is { } reason)
        {
            return reason;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return member.StopReason ?? ChatCloseReason.HungUp;
        }
        finally
        {
            FlushBatch(member);
        }
    }

    private LineReader NewReader(ChatMember member) => new(member.Connection.Transport.Input, _options.Lines, _time);

    private void AddToBatch(ChatMember member, string text)
    {
        if (_noticesPending)
        {
            FlushNotices(); // So the console too shows "x joined" before x's first line.
        }

        ArrayBufferWriter<byte> batch = t_batch ??= new ArrayBufferWriter<byte>(BatchFlushBytes + 1024);
        if (!ReferenceEquals(t_batchOwner, member))
        {
            batch.ResetWrittenCount();
            t_batchOwner = member;
        }

        ChatLog.Said(_logger, member.Name, text);
        _operator.Traffic(member.Name, text);
        LineFramer.WriteLine(batch, Said(member.Name, text), _ending);
        if (batch.WrittenCount >= BatchFlushBytes)
        {
            FlushBatch(member);
        }
    }

    private void FlushBatch(ChatMember member)
    {
        if (!ReferenceEquals(t_batchOwner, member) || t_batch is not { WrittenCount: > 0 } batch)
        {
            return;
        }

        byte[] lines = batch.WrittenSpan.ToArray();
        batch.ResetWrittenCount();
        t_batchOwner = null;
        Broadcast(lines, except: member);
    }

    /// <summary>Carries out a client's command; false when the client leaves.</summary>
    private bool Obey(ChatMember member, ChatCommand command)
    {
        switch (command.Kind)
        {
            case ChatCommandKind.Quit:
                return false;
            case ChatCommandKind.Nick:
                Rename(member, command.Argument);
                break;
            case ChatCommandKind.Who:
                Tell(member, WhoLines());
                break;
            case ChatCommandKind.Help:
                Tell(member, ChatStrings.Help.Split('\n'));
                break;
            default:
                // /kick and /stats are the operator's: to a client they are as unknown as any other word.
                string word = command.Kind switch
                {
                    ChatCommandKind.Kick => "/kick",
                    ChatCommandKind.Stats => "/stats",
                    _ => command.Argument,
                };
                Tell(member, [Format(ChatStrings.UnknownCommand, word)]);
                break;
        }

        return true;
    }

    private void Rename(ChatMember member, string wanted)
    {
        if (wanted.Length == 0)
        {
            Tell(member, [ChatStrings.NickMissing]);
            return;
        }

        if (!ChatNames.IsValid(wanted, _options.Name))
        {
            Tell(member, [Format(ChatStrings.NickInvalid, ChatNames.MaxLength)]);
            return;
        }

        string old;
        lock (_room)
        {
            old = member.Name;
            if (_members.TryGetValue(wanted, out ChatMember? holder) && !ReferenceEquals(holder, member))
            {
                old = string.Empty;
            }
            else
            {
                _members.Remove(old);
                member.Name = wanted;
                _members.Add(wanted, member);
                _version++;
            }
        }

        if (old.Length == 0)
        {
            Tell(member, [Format(ChatStrings.NickTaken, wanted)]);
            return;
        }

        Tell(member, [Format(ChatStrings.YouAreNow, wanted)]);
        AddNotice(new Notice(NoticeKind.Renamed, old, wanted, null, member));
    }

    /// <summary>"N in the room:" then one line per member with its address.</summary>
    private List<string> WhoLines()
    {
        ChatMember[] members = Snapshot();
        var lines = new List<string>(members.Length + 1) { Format(ChatStrings.WhoHeader, members.Length) };
        foreach (ChatMember m in members)
        {
            lines.Add(Format(ChatStrings.WhoEntry, m.Name, m.Remote));
        }

        return lines;
    }

    /// <summary>Sends lines to one member only (answers to commands).</summary>
    private void Tell(ChatMember member, IEnumerable<string> lines)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (string line in lines)
        {
            LineFramer.WriteLine(buffer, line, _ending);
        }

        if (!member.TryEnqueue(buffer.WrittenSpan.ToArray()))
        {
            Overflowed(member);
        }
    }

    /// <summary>How a line appears to the others: <c>&lt;name&gt; text</c>, as ncat --chat writes it.</summary>
    private static string Said(string name, string text) => "<" + name + "> " + text;
}

using System.Text;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Events;
using Marcel.Redis;

namespace Marcel.Tests.Redis;

/// <summary>The bus's payloads, without Redis: lines said as raw bytes behind a binary header, other events as JSON.</summary>
public sealed class RedisEventCodecTests
{
    private static readonly MemberIdentity Zoe = new("lab1/7", "Zoé", MemberKinds.Tcp, "lab1", "10.0.1.23:50412");

    private static ReadOnlyMemory<byte> Body(RoomEvent roomEvent) => RedisEventCodec.Encode(roomEvent, reserve: 5).AsMemory(5);

    [Fact]
    public void Lines_said_travel_as_their_own_bytes_after_a_binary_header()
    {
        var said = new MemberSaid(Zoe, "bonjour ☃\nà tous\n"u8.ToArray(), 2);
        byte[] body = Body(said).ToArray();

        Assert.Equal(RedisEventCodec.SaidKind, body[0]);
        Assert.EndsWith("bonjour ☃\nà tous\n", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        var back = Assert.IsType<MemberSaid>(new RedisEventCodec().Decode(body));
        Assert.Equal(Zoe, back.From);
        Assert.Equal(2, back.Count);
        Assert.Equal(["bonjour ☃", "à tous"], back.Texts());
    }

    [Fact]
    public void A_sender_s_lines_share_one_identity_until_it_changes_or_leaves()
    {
        var codec = new RedisEventCodec();
        MemberSaid first = Assert.IsType<MemberSaid>(codec.Decode(Body(MemberSaid.Line(Zoe, "one"))));
        MemberSaid second = Assert.IsType<MemberSaid>(codec.Decode(Body(MemberSaid.Line(Zoe, "two"))));
        Assert.Same(first.From, second.From);

        MemberSaid renamed = Assert.IsType<MemberSaid>(codec.Decode(Body(MemberSaid.Line(Zoe.WithName("Zoe"), "three"))));
        Assert.Equal("Zoe", renamed.From.Name);
        codec.Forget(Zoe.Id);
        Assert.Equal(0, codec.CachedSenders);
    }

    [Fact]
    public void The_operator_without_an_address_and_the_other_events_come_back_equal()
    {
        var codec = new RedisEventCodec();
        var console = new MemberIdentity("lab1/0", "Marcel", MemberKinds.Operator, "lab1", null);
        Assert.Equal(console, Assert.IsType<MemberSaid>(codec.Decode(Body(MemberSaid.Line(console, "hi")))).From);

        RoomEvent[] others = [new MemberJoined(Zoe), new MemberRenamed(Zoe.WithName("Z"), "Zoé"), new KickRequested(Zoe), new MemberLeft(Zoe, ChatCloseReason.Kicked)];
        foreach (RoomEvent other in others)
        {
            ReadOnlyMemory<byte> body = Body(other);
            Assert.Equal(RedisEventCodec.JsonKind, body.Span[0]);
            Assert.Equal(other, codec.Decode(body));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("09")]
    [InlineData("0100")]
    public void Malformed_bodies_are_refused(string hex) => Assert.Null(new RedisEventCodec().Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Lines_that_break_what_the_local_path_guarantees_are_refused()
    {
        var codec = new RedisEventCodec();
        byte[] good = Body(new MemberSaid(Zoe, "a\nb\n"u8.ToArray(), 2)).ToArray();
        Assert.NotNull(codec.Decode(good));

        byte[] wrongCount = [.. good];
        wrongCount[good.Length - 5] = 3; // The count's low byte, just before "a\nb\n".
        Assert.Null(codec.Decode(wrongCount));

        Assert.Null(codec.Decode(good.AsMemory(..^1))); // No final \n.
        byte[] invalid = [.. good];
        invalid[^2] = 0xFF; // Not UTF-8.
        Assert.Null(codec.Decode(invalid));
        Assert.Null(codec.Decode(good.AsMemory(..10))); // Cut in the identity.
    }
}

using System.Text;
using System.Text.Json;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Events;

namespace Marcel.Tests.Chat;

/// <summary>Room events cross processes as JSON (source-generated): every kind comes back equal.</summary>
public class RoomEventJsonTests
{
    private static readonly MemberIdentity Alice = new("node1/4", "Alice", MemberKinds.Web, "node1", "[::1]:5000");

    [Fact]
    public void Every_event_kind_survives_a_round_trip()
    {
        RoomEvent[] events =
        [
            new MemberJoined(Alice),
            new MemberLeft(Alice, ChatCloseReason.Idle),
            new MemberRenamed(Alice, "user4"),
            new KickRequested(Alice),
            new RoomNotice("* x joined.", "node1/4"),
            new PrivateReply(["a", "b"]),
        ];
        foreach (RoomEvent e in events)
        {
            string json = JsonSerializer.Serialize(e, RoomEventJson.Default.RoomEvent);
            RoomEvent back = JsonSerializer.Deserialize(json, RoomEventJson.Default.RoomEvent)!;
            Assert.Equal(e.GetType(), back.GetType());
            Assert.Equal(JsonSerializer.Serialize(e, RoomEventJson.Default.RoomEvent), JsonSerializer.Serialize(back, RoomEventJson.Default.RoomEvent));
        }

        Assert.Equal(new MemberLeft(Alice, ChatCloseReason.Idle), JsonSerializer.Deserialize(JsonSerializer.Serialize<RoomEvent>(new MemberLeft(Alice, ChatCloseReason.Idle), RoomEventJson.Default.RoomEvent), RoomEventJson.Default.RoomEvent));
    }

    [Fact]
    public void Said_lines_keep_their_bytes_and_count()
    {
        var said = new MemberSaid(Alice, Encoding.UTF8.GetBytes("bonjour é\nsecond ✓\n"), 2);
        string json = JsonSerializer.Serialize<RoomEvent>(said, RoomEventJson.Default.RoomEvent);
        Assert.Contains("\"type\":\"said\"", json, StringComparison.Ordinal);
        var back = Assert.IsType<MemberSaid>(JsonSerializer.Deserialize(json, RoomEventJson.Default.RoomEvent));
        Assert.Equal(["bonjour é", "second ✓"], back.Texts());
        Assert.Equal(Alice, back.From);
    }
}

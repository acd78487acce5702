using System.Net;
using Marcel.Core.Chat;

namespace Marcel.Tests.Chat;

public class ChatAccessTests
{
    private static readonly IPEndPoint V4 = new(IPAddress.Parse("10.1.2.3"), 5000);
    private static readonly IPEndPoint Mapped = new(IPAddress.Parse("::ffff:10.1.2.3"), 5000);
    private static readonly IPEndPoint V6 = new(IPAddress.Parse("fd00::5"), 5000);

    [Fact]
    public void Without_rules_everyone_enters() => Assert.True(ChatAccess.Everyone.Admits(V4));

    [Fact]
    public void Deny_wins_over_allow_for_ipv4_and_mapped_ipv4()
    {
        var access = new ChatAccess([IPNetwork.Parse("10.0.0.0/8")], [IPNetwork.Parse("10.1.0.0/16")]);
        Assert.False(access.Admits(V4));
        Assert.False(access.Admits(Mapped));
        Assert.True(access.Admits(new IPEndPoint(IPAddress.Parse("10.2.0.1"), 1)));
    }

    [Fact]
    public void An_allow_list_keeps_out_everyone_else_including_ipv6()
    {
        var access = new ChatAccess([IPNetwork.Parse("fd00::/8")], []);
        Assert.True(access.Admits(V6));
        Assert.False(access.Admits(V4));
    }
}

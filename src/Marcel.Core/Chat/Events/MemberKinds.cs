namespace Marcel.Core.Chat.Events;

/// <summary>The values of <see cref="MemberIdentity.Kind"/>.</summary>
public static class MemberKinds
{
    /// <summary>A line client over TCP (<c>nc</c>, <c>telnet</c>, <c>marcel connect</c>).</summary>
    public const string Tcp = "tcp";

    /// <summary>A browser over a WebSocket.</summary>
    public const string Web = "web";

    /// <summary>A datagram peer over UDP.</summary>
    public const string Udp = "udp";

    /// <summary>The server's operator at its console.</summary>
    public const string Operator = "operator";
}

namespace Marcel.Core.Chat.Events;

/// <summary>
/// Who a member is, as every event about it says: plain data, the same on every node and serializable as is. A rename
/// gives a new identity with the same <see cref="Id"/>.
/// </summary>
/// <param name="Id">Unique in the whole room and never reused: the node's name, <c>/</c>, a number.</param>
/// <param name="Name">The name it goes by (<c>user7</c>, <c>Alice</c>); unique in the room, case-insensitively.</param>
/// <param name="Kind">What kind of client it is: one of <see cref="MemberKinds"/>.</param>
/// <param name="Node">The server it is connected to (the room may span several).</param>
/// <param name="Remote">Its address as the operator sees it (<c>127.0.0.1:50312</c>), if it has one.</param>
public sealed record MemberIdentity(string Id, string Name, string Kind, string Node, string? Remote)
{
    /// <summary>This identity under <paramref name="name"/>.</summary>
    public MemberIdentity WithName(string name) => this with { Name = name };
}

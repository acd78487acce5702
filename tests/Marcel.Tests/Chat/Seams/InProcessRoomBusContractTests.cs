using Marcel.Core.Chat.Bus;

namespace Marcel.Tests.Chat.Seams;

/// <summary>The bus contract, on the in-process bus (linked buses stand for servers in one process).</summary>
public sealed class InProcessRoomBusContractTests : RoomBusContractTests
{
    protected override Task<IReadOnlyList<IRoomBus>> CreateLinkedAsync(int nodes) => Task.FromResult<IReadOnlyList<IRoomBus>>(InProcessRoomBus.Linked(nodes));
}

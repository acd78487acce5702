using Marcel.Core.Chat.Roster;

namespace Marcel.Tests.Chat.Seams;

/// <summary>The roster contract, on the local roster.</summary>
public sealed class LocalRosterContractTests : RosterContractTests
{
    protected override Task<IRoster> CreateAsync() => Task.FromResult<IRoster>(new LocalRoster());
}

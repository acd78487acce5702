using Marcel.Redis;
using StackExchange.Redis;

namespace Marcel.Tests.Redis;

public sealed class SubscriptionDropsTests
{
    [Fact]
    public void A_subscription_lost_while_commands_went_on_is_a_drop()
    {
        var drops = new SubscriptionDrops();
        drops.Failed(ConnectionType.Subscription);
        Assert.True(drops.Restored(ConnectionType.Subscription));
        Assert.False(drops.Restored(ConnectionType.Subscription)); // Said once per loss.
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_subscription_lost_with_the_command_connection_is_no_drop_whichever_failure_is_reported_first(bool subscriptionFirst)
    {
        var drops = new SubscriptionDrops();
        ConnectionType[] order = subscriptionFirst
            ? [ConnectionType.Subscription, ConnectionType.Interactive]
            : [ConnectionType.Interactive, ConnectionType.Subscription];
        foreach (ConnectionType connection in order) drops.Failed(connection);

        Assert.False(drops.Restored(ConnectionType.Interactive));
        Assert.False(drops.Restored(ConnectionType.Subscription));

        // Once both are back, a later drop of the subscription alone is told again.
        drops.Failed(ConnectionType.Subscription);
        Assert.True(drops.Restored(ConnectionType.Subscription));
    }
}

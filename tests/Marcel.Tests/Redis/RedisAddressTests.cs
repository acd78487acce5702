using Marcel.Redis;

namespace Marcel.Tests.Redis;

public sealed class RedisAddressTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6380", "127.0.0.1", 6380, null, false)]
    [InlineData("redis://localhost", "localhost", 6379, null, false)]
    [InlineData("redis://alice@cache.example:7000/", "cache.example", 7000, "alice", false)]
    [InlineData("rediss://cache.example", "cache.example", 6379, null, true)]
    [InlineData("redis://[::1]:6390", "::1", 6390, null, false)]
    public void A_redis_url_names_host_port_user_and_tls(string url, string host, int port, string? user, bool tls)
    {
        Assert.True(RedisAddress.TryParse(url, out RedisAddress? address, out _));
        Assert.Equal(new RedisAddress(host, port, user, tls), address);
    }

    [Theory]
    [InlineData("redis://alice:s3cret@127.0.0.1:6379")]
    [InlineData("redis://:s3cret@127.0.0.1")]
    public void A_password_in_the_url_is_refused_without_repeating_it(string url)
    {
        Assert.False(RedisAddress.TryParse(url, out _, out string? error));
        Assert.Contains("MARCEL_REDIS_PASSWORD", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:6379")]
    [InlineData("http://127.0.0.1:6379")]
    [InlineData("redis://127.0.0.1:6379/2")]
    [InlineData("redis://127.0.0.1:6379?ssl=true")]
    [InlineData("redis://")]
    public void Anything_but_a_plain_redis_url_is_refused_with_the_expected_form(string url)
    {
        Assert.False(RedisAddress.TryParse(url, out _, out string? error));
        Assert.Contains("redis://", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_address_prints_as_host_and_port_only()
    {
        Assert.True(RedisAddress.TryParse("redis://alice@[::1]:6390", out RedisAddress? address, out _));
        Assert.Equal("[::1]:6390", address.ToString());
    }

    [Theory]
    [InlineData("marcel", true)]
    [InlineData("lab-2.b_3", true)]
    [InlineData("", false)]
    [InlineData("a:b", false)]
    [InlineData("a b", false)]
    [InlineData("salle-é", false)]
    public void Room_names_are_short_and_plain(string room, bool valid) => Assert.Equal(valid, RedisRoomOptions.IsValidRoom(room));

    [Fact]
    public void Every_key_of_a_room_starts_with_its_documented_prefix() =>
        Assert.Equal("marcel:room:lab:", new RedisRoomOptions { Address = new("h", 1, null, false), Room = "lab" }.Prefix);
}

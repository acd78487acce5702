using Marcel.Tests.Chat;
using Marcel.Tests.Support;

namespace Marcel.Tests.Redis;

/// <summary>
/// One real redis-server and <c>marcel serve --chat --redis</c> processes on it (alpha, beta, gamma…), each with its
/// listening port, and the clients joined through it; all closed and stopped together. The setup every CLI test of
/// the Redis room starts from.
/// </summary>
internal sealed class RedisNodes : IAsyncDisposable
{
    private static readonly string[] Names = ["alpha", "beta", "gamma", "delta"];
    private readonly List<PeerProcess> _servers = [];
    private readonly List<int> _ports = [];
    private readonly List<LineClient> _clients = [];

    private RedisNodes(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }

    /// <summary>The <paramref name="index"/>-th server (alpha is 0).</summary>
    public PeerProcess this[int index] => _servers[index];

    /// <summary>The port the <paramref name="index"/>-th server listens on.</summary>
    public int Port(int index) => _ports[index];

    /// <summary>A fresh redis-server and <paramref name="servers"/> marcels on it, started one after the other.</summary>
    public static async Task<RedisNodes> StartAsync(int servers = 2)
    {
        var nodes = new RedisNodes(await RedisServer.StartAsync());
        try
        {
            for (int i = 0; i < servers; i++) await nodes.AddAsync(Names[i]);
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more server on this Redis as <paramref name="node"/>, with <paramref name="extra"/> options.</summary>
    public async Task<PeerProcess> AddAsync(string node, params string[] extra)
    {
        PeerProcess server = MarcelCli.Start(["serve", "--chat", "--host", "127.0.0.1", "--port", "0", "--redis", Redis.Url, "--node", node, .. extra], null);
        _servers.Add(server);
        _ports.Add(await MarcelCli.ListeningPortAsync(server, "listening on 127.0.0.1:"));
        return server;
    }

    /// <summary>A client on the <paramref name="index"/>-th server, once welcomed; with the name it was given. Closed with the servers.</summary>
    public async Task<(LineClient Client, string Name)> JoinAsync(int index)
    {
        LineClient client = await LineClient.ConnectAsync(Port(index));
        lock (_clients) _clients.Add(client);
        string welcome = await client.ReadUntilAsync("you are ");
        int at = welcome.IndexOf("you are ", StringComparison.Ordinal) + "you are ".Length;
        return (client, welcome[at..welcome.IndexOf('.', at)]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (LineClient client in _clients) await client.DisposeAsync();
        for (int i = _servers.Count - 1; i >= 0; i--) await _servers[i].DisposeAsync();
        await Redis.DisposeAsync();
    }
}

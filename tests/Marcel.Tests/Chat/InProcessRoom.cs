using Marcel.Core.Chat;
using Marcel.Core.Hosting;
using Marcel.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Chat;

/// <summary>A chat room run in the test process on a loopback port, with an operator the test can type into and read.</summary>
internal sealed class InProcessRoom : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TcpServerHost _host;
    private Task? _run;

    private InProcessRoom(ChatServer server, TcpServerHost host, RecordingOperator console)
    {
        Server = server;
        _host = host;
        Console = console;
    }

    public ChatServer Server { get; }

    public RecordingOperator Console { get; }

    public int Port => _host.BoundEndPoints[0].Port;

    public Task Running => _run ?? Task.CompletedTask;

    /// <summary>
    /// Starts a room; with <paramref name="time"/> (a fake clock) the test drives its idle sweep, notice window and grace;
    /// with <paramref name="roster"/> it holds newcomers where the test wants them.
    /// </summary>
    public static async Task<InProcessRoom> StartAsync(ChatOptions? options = null, string host = "127.0.0.1", TimeProvider? time = null, Core.Chat.Roster.IRoster? roster = null)
    {
        var console = new RecordingOperator();
        var server = new ChatServer(options ?? new ChatOptions(), console, NullLogger.Instance, time, roster);
        await server.StartAsync();
        TcpServerHost listener = await TcpServerHost.StartAsync(host, 0, server.OnConnectedAsync, NullLoggerFactory.Instance);
        var room = new InProcessRoom(server, listener, console);
        room._run = server.RunAsync(listener.BoundEndPoints, room._stop.Token);
        return room;
    }

    /// <summary>Connects a raw client and reads its two greeting lines; returns it with the name it was given.</summary>
    public async Task<(LineClient Client, string Name)> JoinAsync()
    {
        LineClient client = await LineClient.ConnectAsync(Port, _host.BoundEndPoints[0].Address);
        string welcome = await client.ReadLineAsync() ?? throw new InvalidOperationException("closed before the welcome");
        await client.ReadLineAsync(); // who is here
        int at = welcome.IndexOf("you are ", StringComparison.Ordinal) + "you are ".Length;
        return (client, welcome[at..welcome.IndexOf('.', at)]);
    }

    public Task StopAsync()
    {
        _stop.Cancel();
        return Running;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Running.WaitAsync(TimeSpan.FromSeconds(10));
        await _host.StopAsync();
        await _host.DisposeAsync();
        Server.Dispose();
        _stop.Dispose();
    }
}

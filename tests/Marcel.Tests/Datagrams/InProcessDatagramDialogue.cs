using Marcel.Core.Dialogue;
using Marcel.Core.Transport;
using Marcel.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Datagrams;

/// <summary>The dialogue over UDP in the test process, on 127.0.0.1, its operator recorded and its clock a fake one.</summary>
internal sealed class InProcessDatagramDialogue : IAsyncDisposable
{
    /// <summary>The idle timeout the conversations get.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly DatagramConversations _clients;
    private readonly Task _serving;

    private InProcessDatagramDialogue(DatagramConversations clients, DialogueServer server, DialogueRecorder console, FakeTimeProvider time)
    {
        _clients = clients;
        Console = console;
        Time = time;
        _serving = server.RunAsync(clients.BoundEndPoints, clients, _stop.Token);
    }

    public DialogueRecorder Console { get; }

    public FakeTimeProvider Time { get; }

    public int Port => _clients.BoundEndPoints[0].Port;

    /// <summary>Starts a server on <paramref name="host"/> that keeps serving after each conversation, and waits until it is ready.</summary>
    public static async Task<InProcessDatagramDialogue> StartAsync(string? greeting = null, string host = "127.0.0.1")
    {
        var console = new DialogueRecorder();
        var time = new FakeTimeProvider();
        var options = new DialogueOptions { KeepOpen = true, Greeting = greeting };
        DatagramConversations clients = await DatagramConversations.BindAsync(
            host, 0, new DatagramOptions(), options.Lines.Ending, Idle, console, NullLogger.Instance, time, TestContext.Current.CancellationToken);
        var dialogue = new InProcessDatagramDialogue(clients, new DialogueServer(options, console, NullLogger.Instance, time), console, time);
        await console.WaitForAsync("ready");
        return dialogue;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _serving.WaitAsync(Timeouts.Step);
        await _clients.DisposeAsync();
        _stop.Dispose();
    }
}

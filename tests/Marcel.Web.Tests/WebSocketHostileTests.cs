using System.Globalization;
using System.Net;
using Marcel.Core.Chat;
using Marcel.Core.Hosting;

namespace Marcel.Web.Tests;

/// <summary>Browser members that misbehave at scale or vanish: the room cuts them off by its own rules, and nobody else notices.</summary>
public sealed class WebSocketHostileTests
{
    [Fact]
    public async Task A_thousand_browsers_that_never_read_during_a_flood_are_cut_off_and_the_readers_lose_nothing()
    {
        const int Stuck = 1000, Rounds = 100, PerRound = 32;
        await using MixedRoom room = await MixedRoom.StartAsync(new ChatOptions { MaxQueueBytes = 64 * 1024, MaxClients = Stuck + 10 });
        IPEndPoint web = room.Web.BoundEndPoints[0];
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Timeouts.Process * 2);

        // The stuck ones: seated (the answer to a command proves it), then never read again, with a 4 KiB receive buffer.
        var stuck = new List<RawWebSocket>();
        for (int batch = 0; batch < Stuck; batch += 50)
        {
            stuck.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SeatStuckAsync(web, bound.Token))));
        }

        (LineClient talker, string talkerName) = await room.Tcp.JoinAsync();
        (LineClient tcpReader, _) = await room.Tcp.JoinAsync();
        var webReaders = new List<SocketClient>();
        for (int i = 0; i < 3; i++) webReaders.Add((await room.JoinWebAsync()).Client);
        var readers = new List<Func<Task<string?>>> { tcpReader.ReadLineAsync };
        readers.AddRange(webReaders.Select(r => (Func<Task<string?>>)r.ReadLineAsync));
        var next = new int[readers.Count];
        var toldOfOverflow = new bool[readers.Count];
        string padding = new('z', 990);

        // 3.2 MB in rounds of 32 KB, each read whole by every reader before the next: a reader never lags by more than
        // a round (half its queue bound); a stuck member always does, round after round.
        for (int round = 0, seq = 0; round < Rounds; round++)
        {
            var text = new System.Text.StringBuilder();
            for (int i = 0; i < PerRound; i++) text.Append(CultureInfo.InvariantCulture, $"{seq + i:D6} {padding}\n");
            await talker.SendAsync(text.ToString());
            seq += PerRound;
            await Task.WhenAll(readers.Select(async (read, r) =>
            {
                while (next[r] < seq)
                {
                    string line = await read() ?? throw new InvalidOperationException($"reader {r} was closed");
                    if (line.StartsWith($"<{talkerName}> ", StringComparison.Ordinal))
                    {
                        // Every line, once, in order, intact.
                        Assert.Equal($"<{talkerName}> {next[r]:D6} {padding}", line);
                        next[r]++;
                    }
                    else if (line.Contains("too slow to read", StringComparison.Ordinal))
                    {
                        toldOfOverflow[r] = true;
                    }
                }
            }));
        }

        Assert.All(next, n => Assert.Equal(Rounds * PerRound, n));
        Assert.All(toldOfOverflow, Assert.True);

        // Every stuck one was cut off: what its kernel buffered reads out, then the connection ends (it does not wait on).
        await Task.WhenAll(stuck.Select(async s =>
        {
            while (await s.ReadTextAsync(bound.Token) is not null)
            {
            }
        }));

        // The overflowed ones may still be leaving when their sockets are gone: ask again until the count is down.
        string who = string.Empty;
        for (int asked = 0; who != "5 in the room:" && asked < 50; asked++)
        {
            await talker.SendLineAsync("/who");
            do who = await talker.ReadLineAsync() ?? throw new InvalidOperationException("the talker was closed");
            while (!who.EndsWith(" in the room:", StringComparison.Ordinal));
        }

        Assert.Equal("5 in the room:", who);
        foreach (RawWebSocket s in stuck) s.Dispose();
        foreach (SocketClient r in webReaders) await r.DisposeAsync();
        await talker.DisposeAsync();
        await tcpReader.DisposeAsync();
    }

    [Fact]
    public async Task A_browser_that_stops_answering_pings_is_dropped_by_the_ping_timeout_and_the_room_is_told()
    {
        // --keepalive 1: a ping after 1 s of silence, and 3 s to answer it.
        await using MixedRoom room = await MixedRoom.StartAsync(web: new WebRoomOptions { KeepAlive = new TcpKeepAlive(TimeSpan.FromSeconds(1)) });
        (LineClient witness, _) = await room.Tcp.JoinAsync();
        await using (witness)
        {
            using var silent = await RawWebSocket.ConnectAsync(room.Web.BoundEndPoints[0], Timeouts.StepToken());
            string welcome = await silent.ReadTextAsync(Timeouts.StepToken()) ?? throw new InvalidOperationException("closed before the welcome");
            int at = welcome.IndexOf("you are ", StringComparison.Ordinal) + "you are ".Length;
            string name = welcome[at..welcome.IndexOf('.', at)];

            // It reads on, pings included, and never answers one: to the server it is a peer that vanished. Each read is
            // bounded by the step timeout, which the ping timeout (3 s) must beat.
            while (await silent.ReadTextAsync(Timeouts.StepToken()) is not null)
            {
            }

            string line;
            do line = await witness.ReadLineAsync() ?? throw new InvalidOperationException("the witness was closed");
            while (!line.Contains(name + " left", StringComparison.Ordinal));
            Assert.Equal($"* {name} left.", line);
        }
    }

    private static async Task<RawWebSocket> SeatStuckAsync(IPEndPoint web, CancellationToken cancellationToken)
    {
        RawWebSocket client = await RawWebSocket.ConnectAsync(web, cancellationToken, receiveBuffer: 4096);
        await client.ReadTextAsync(cancellationToken); // The welcome.
        await client.SendTextAsync("/seated", cancellationToken);
        while (await client.ReadTextAsync(cancellationToken) is { } message && !message.Contains("/seated", StringComparison.Ordinal))
        {
        }

        return client;
    }
}

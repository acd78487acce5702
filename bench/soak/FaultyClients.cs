using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marcel.Soak;

/// <summary>The faults injected during a soak: resets mid-message, readers that never read, garbage senders.</summary>
internal static class FaultyClients
{
    public static long Resets;
    public static long GarbageBytes;

    /// <summary>Connects, says a little, leaves a half-sent line and resets (RST), again and again.</summary>
    public static async Task ResetterAsync(int port, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), stop);
                await socket.SendAsync("hello, I will vanish\nhalf a mess"u8.ToArray(), stop);
                await Task.Delay(Random.Shared.Next(200, 2000), stop);
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                Interlocked.Increment(ref Resets);
                await Task.Delay(Random.Shared.Next(200, 1000), stop);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                await Task.Delay(500, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Connects with a tiny receive buffer and never reads: the server must not let it slow anyone else.</summary>
    public static async Task SlowReaderAsync(int port, CancellationToken stop)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), stop);
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // The end of the run, or the server gave up on us (as it may).
        }
    }

    /// <summary>Sends random bytes (invalid UTF-8, control characters, NULs) in lines, and reads and drops what comes.</summary>
    public static async Task GarbageAsync(int port, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), stop);
                Task draining = DrainAsync(socket, stop);
                while (!draining.IsCompleted)
                {
                    byte[] junk = new byte[300];
                    Random.Shared.NextBytes(junk);
                    for (int i = 50; i < junk.Length; i += 50) junk[i] = (byte)'\n';
                    junk[^1] = (byte)'\n';
                    await socket.SendAsync(junk, stop);
                    Interlocked.Add(ref GarbageBytes, junk.Length);
                    await Task.Delay(1000, stop);
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                await Task.Delay(500, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task DrainAsync(Socket socket, CancellationToken stop)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, stop) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Gone.
        }
    }
}

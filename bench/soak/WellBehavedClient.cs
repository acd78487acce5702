using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marcel.Soak;

/// <summary>
/// A client that reads everything and sends numbered messages at a steady rate: every one it sends must reach every
/// other well-behaved client, in order.
/// </summary>
internal sealed class WellBehavedClient(int id)
{
    private const string Tag = "soak#";
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly Dictionary<int, int> _lastSeq = [];
    private readonly object _gate = new();
    private NetworkStream? _stream;
    private Task _reading = Task.CompletedTask;
    private volatile bool _closing;

    public int Id => id;

    /// <summary>How many numbered messages this client sent.</summary>
    public int Sent { get; private set; }

    /// <summary>Numbered messages from others received (each counted once).</summary>
    public long Received { get; private set; }

    /// <summary>Messages from one sender that arrived out of order or twice.</summary>
    public long OrderViolations { get; private set; }

    /// <summary>True when the server closed on us before the end.</summary>
    public bool Dropped { get; private set; }

    public int ReceivedFrom(int sender)
    {
        lock (_gate) return _lastSeq.TryGetValue(sender, out int last) ? last : 0;
    }

    public async Task ConnectAsync(int port, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        _stream = new NetworkStream(_socket, ownsSocket: true);
        _reading = ReadAsync(cancellationToken);
    }

    public async Task SendAsync(double rate, DateTime until, CancellationToken cancellationToken)
    {
        // A random phase so that 200 clients do not all speak on the same tick.
        await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() / rate), cancellationToken);
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate));
        while (DateTime.UtcNow < until && !Dropped && await tick.WaitForNextTickAsync(cancellationToken))
        {
            byte[] line = Encoding.UTF8.GetBytes($"{Tag}{id}#{Sent + 1}# steady words from a well-behaved client\n");
            try
            {
                await _stream!.WriteAsync(line, cancellationToken);
                Sent++;
            }
            catch (IOException)
            {
                Dropped = true;
            }
        }
    }

    public async Task CloseAsync()
    {
        _closing = true;
        _socket.Shutdown(SocketShutdown.Both);
        await _stream!.DisposeAsync();
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(_stream!, new UTF8Encoding(false), false, 64 * 1024, leaveOpen: true);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                Record(line);
            }

            Dropped = !_closing;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed by us at the end, or by the server: CloseAsync tells which.
        }
    }

    private void Record(string line)
    {
        int at = line.IndexOf(Tag, StringComparison.Ordinal);
        if (at < 0)
        {
            return; // A notice, a greeting, or a faulty client's garbage.
        }

        string[] parts = line[(at + Tag.Length)..].Split('#', 3);
        if (parts.Length < 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int sender) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int seq) || sender == id)
        {
            return;
        }

        lock (_gate)
        {
            int last = _lastSeq.GetValueOrDefault(sender);
            if (seq != last + 1)
            {
                OrderViolations++;
            }

            _lastSeq[sender] = Math.Max(last, seq);
            Received++;
        }
    }
}

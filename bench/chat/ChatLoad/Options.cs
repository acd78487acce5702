using System.Globalization;

namespace ChatLoad;

/// <summary>The generator's command line.</summary>
internal sealed record Options
{
    public string Mode { get; init; } = "";
    public int Port => Ports[0];
    public int ServerPid => ServerPids[0];
    /// <summary>Load mode: the servers of one room (a room across servers, through Redis): client i connects to the i-th modulo.</summary>
    public int[] Ports { get; init; } = [0];
    /// <summary>Their process ids: CPU is summed over them.</summary>
    public int[] ServerPids { get; init; } = [0];
    /// <summary>Load mode: redis-server's pid, to report its CPU per line said; 0 for none.</summary>
    public int RedisPid { get; init; }
    public int Clients { get; init; } = 10;
    public int Senders { get; init; } = 1;
    /// <summary>Total lines per second over all senders; 0 = as fast as possible, <see cref="Batch"/> lines per write.</summary>
    public double Rate { get; init; } = 100;
    public int Batch { get; init; } = 64;
    public double Seconds { get; init; } = 3;
    /// <summary>Unthrottled mode: most lines a sender may have in flight (sent, not yet received by every receiver).</summary>
    public int Window { get; init; } = 640;
    public int Rounds { get; init; } = 10;
    /// <summary>Seconds of the same load before measuring, so the JIT and the pools have settled (ncat has neither).</summary>
    public double Warmup { get; init; } = 1;
    /// <summary>Idle mode: seconds to keep the clients connected after measuring (to inspect the server meanwhile).</summary>
    public double Hold { get; init; }
    /// <summary>Whether relayed lines carry a <c>&lt;name&gt; </c> prefix (ncat, marcel) or none (the C floor broker).</summary>
    public bool Prefixed { get; init; } = true;
    /// <summary>The browser room's port (<c>--web</c>): clients join through its WebSocket instead of the TCP port; 0 for TCP.</summary>
    public int WebSocketPort { get; init; }

    /// <summary>Load mode: clients are datagram peers (<c>--transport udp</c>: one line per datagram, a UDP room) instead of TCP connections.</summary>
    public bool Udp { get; init; }

    public static Options Parse(string[] args)
    {
        var o = new Options { Mode = args.Length > 0 ? args[0] : "" };
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            string v = args[i + 1];
            o = args[i] switch
            {
                "--port" => o with { Ports = Ints(v) },
                "--pid" => o with { ServerPids = Ints(v) },
                "--redis-pid" => o with { RedisPid = Int(v) },
                "--clients" => o with { Clients = Int(v) },
                "--senders" => o with { Senders = Int(v) },
                "--rate" => o with { Rate = double.Parse(v, CultureInfo.InvariantCulture) },
                "--batch" => o with { Batch = Int(v) },
                "--seconds" => o with { Seconds = double.Parse(v, CultureInfo.InvariantCulture) },
                "--window" => o with { Window = Int(v) },
                "--rounds" => o with { Rounds = Int(v) },
                "--warmup" => o with { Warmup = double.Parse(v, CultureInfo.InvariantCulture) },
                "--prefix" => o with { Prefixed = v != "none" },
                "--transport" => o with { Udp = v switch { "udp" => true, "tcp" => false, _ => throw new ArgumentException("--transport tcp|udp") } },
                "--ws" => o with { WebSocketPort = Int(v) },
                "--hold" => o with { Hold = double.Parse(v, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException("unknown option " + args[i]),
            };
        }

        return o;
    }

    private static int[] Ints(string v) => [.. v.Split(',').Select(Int)];

    private static int Int(string v) => int.Parse(v, CultureInfo.InvariantCulture);
}

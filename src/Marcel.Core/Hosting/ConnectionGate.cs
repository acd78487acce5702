using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Hosting;

/// <summary>
/// Counts the connections handed to the server and turns away the ones past the limit with the caller's "busy" notice,
/// logging once when the limit is reached and once when there is room again, not once per refused stranger.
/// </summary>
internal sealed class ConnectionGate(int maxConnections, TimeSpan refusalTimeout, ILogger logger)
{
    private int _count;
    private int _saturated;

    /// <summary>The limit enforced.</summary>
    public int MaxConnections => maxConnections;

    /// <summary>Connections being served now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>A gate for <paramref name="limits"/>, lowered to what the file-descriptor limit leaves room for.</summary>
    public static ConnectionGate Create(ServerLimits limits, ILogger logger)
    {
        limits.Validate();
        int available = FileDescriptorBudget.AvailableConnections();
        int max = Math.Max(1, Math.Min(limits.MaxConnections, available == int.MaxValue ? int.MaxValue : available - Headroom));
        HostingLog.ConnectionLimit(logger, max, available);
        return new ConnectionGate(max, limits.RefusalTimeout, logger);
    }

    /// <summary>Sockets a host may accept past the limit, to say "busy" to before closing them.</summary>
    public const int Headroom = 16;

    /// <summary>Most sockets a host should hold at once: the limit plus the ones being told "busy".</summary>
    public int MaxSockets => maxConnections + Headroom;

    /// <summary>Counts a newcomer in; false when it is over the limit (it is not counted: refuse it).</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= maxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        if (Interlocked.Exchange(ref _saturated, 1) == 0)
        {
            HostingLog.ConnectionLimitReached(logger, maxConnections);
        }

        return false;
    }

    /// <summary>Counts a connection let in by <see cref="TryEnter"/> out.</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref _count) < maxConnections && Interlocked.Exchange(ref _saturated, 0) == 1)
        {
            HostingLog.ConnectionLimitCleared(logger, maxConnections);
        }
    }

    /// <summary>
    /// Tells a newcomer over the limit that the server is busy, with the caller's <paramref name="notice"/> for the
    /// limit in force (bounded in time; nothing when there is no notice); the caller closes it.
    /// </summary>
    public async Task RefuseAsync(IServerConnection connection, Func<int, ReadOnlyMemory<byte>>? notice)
    {
        if (notice is null)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(refusalTimeout);
        try
        {
            await connection.Transport.Output.WriteAsync(notice(maxConnections), deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // A refused peer that does not read or already left: closing it is all that is owed.
        }
    }
}

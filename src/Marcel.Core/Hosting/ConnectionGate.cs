using System.Globalization;
using System.IO.Pipelines;
using Marcel.Core.Framing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Hosting;

/// <summary>
/// Counts the connections handed to the server and turns away the ones past the limit with a one-line "busy" notice,
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

    public async Task RunAsync(ConnectionContext connection, Func<ConnectionContext, Task> onConnection)
    {
        if (Interlocked.Increment(ref _count) > maxConnections)
        {
            try
            {
                if (Interlocked.Exchange(ref _saturated, 1) == 0)
                {
                    HostingLog.ConnectionLimitReached(logger, maxConnections);
                }

                await RefuseAsync(connection);
            }
            finally
            {
                Interlocked.Decrement(ref _count);
            }

            return;
        }

        try
        {
            await onConnection(connection);
        }
        finally
        {
            if (Interlocked.Decrement(ref _count) < maxConnections && Interlocked.Exchange(ref _saturated, 0) == 1)
            {
                HostingLog.ConnectionLimitCleared(logger, maxConnections);
            }
        }
    }

    private async Task RefuseAsync(ConnectionContext connection)
    {
        using var deadline = new CancellationTokenSource(refusalTimeout);
        try
        {
            string notice = string.Format(CultureInfo.CurrentCulture, Resources.LimitStrings.ServerBusy, maxConnections);
            LineFramer.WriteLine(connection.Transport.Output, notice, "\n"u8);
            await connection.Transport.Output.FlushAsync(deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // A refused peer that does not read or already left: closing it is all that is owed.
        }
    }
}

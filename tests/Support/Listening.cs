using System.Net;
using System.Net.Sockets;

namespace Marcel.Tests.Support;

/// <summary>Waits until a peer that cannot report readiness (nginx, tinyproxy) accepts connections on loopback.</summary>
internal static class Listening
{
    public static async Task WaitAsync(int port, PeerProcess owner)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Timeouts.Step);
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), bound.Token);
                return;
            }
            catch (SocketException) when (!owner.HasExited)
            {
                // Not listening yet: these programs give no readiness signal, so try again shortly.
                await Task.Delay(20, bound.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                throw new InvalidOperationException($"{owner.Name} is not listening on port {port}.\n{owner}", e);
            }
        }
    }
}

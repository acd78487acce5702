using System.Globalization;
using System.Net;
using Marcel.Core.Resources;

namespace Marcel.Cli.Commands;

/// <summary>The endpoints of a "Listening on" line, each marked UDP when it takes datagrams: <c>127.0.0.1:50000 (UDP)</c>.</summary>
internal static class ListeningEndPoints
{
    /// <summary>
    /// Joins <paramref name="endpoints"/>, whose last <paramref name="datagramCount"/> are UDP (the order the servers pass
    /// them in: TCP first). Without UDP nothing is marked, as before datagrams existed; beside UDP, TCP is marked too, as a
    /// port number alone no longer says which (<c>--udp-port</c> may even repeat the TCP port).
    /// </summary>
    public static string Join(IReadOnlyList<IPEndPoint> endpoints, int datagramCount)
    {
        if (datagramCount <= 0)
        {
            return string.Join(", ", endpoints);
        }

        int firstDatagram = endpoints.Count - datagramCount;
        return string.Join(", ", endpoints.Select((e, i) => string.Format(
            CultureInfo.CurrentCulture, i >= firstDatagram ? DatagramStrings.UdpEndPoint : DatagramStrings.TcpEndPoint, e)));
    }
}

using System.Globalization;
using System.Text;
using Marcel.Core.Resources;

namespace Marcel.Core.Transport;

/// <summary>The "server busy" line a line server sends to a newcomer past its connection limit, in the server's language.</summary>
public static class BusyNotice
{
    /// <summary>"Server busy: <paramref name="maxConnections"/> connections already open…", ended by a line feed.</summary>
    public static ReadOnlyMemory<byte> Line(int maxConnections) =>
        Encoding.UTF8.GetBytes(string.Format(CultureInfo.CurrentCulture, LimitStrings.ServerBusy, maxConnections) + "\n");
}

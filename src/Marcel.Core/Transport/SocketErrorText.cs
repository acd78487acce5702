using System.Globalization;
using System.Net.Sockets;
using Marcel.Core.Resources;

namespace Marcel.Core.Transport;

/// <summary>
/// The common socket errors in the user's language: .NET gives the system's English text ("Connection refused")
/// whatever the culture.
/// </summary>
public static class SocketErrorText
{
    /// <summary>A short reason for <paramref name="error"/>, such as "connection refused".</summary>
    public static string Describe(SocketException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => SocketStrings.ConnectionRefused,
            SocketError.TimedOut => SocketStrings.TimedOut,
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => SocketStrings.HostNotFound,
            SocketError.NetworkUnreachable => SocketStrings.NetworkUnreachable,
            SocketError.HostUnreachable => SocketStrings.HostUnreachable,
            SocketError.ConnectionReset => SocketStrings.ConnectionReset,
            SocketError.ConnectionAborted => SocketStrings.ConnectionAborted,
            SocketError.AccessDenied => SocketStrings.AccessDenied,
            SocketError.AddressNotAvailable => SocketStrings.AddressNotAvailable,
            SocketError.AddressAlreadyInUse => SocketStrings.AddressInUse,
            SocketError.NetworkDown => SocketStrings.NetworkDown,
            SocketError.HostDown => SocketStrings.HostDown,
            SocketError.Shutdown => SocketStrings.Shutdown,
            // An English system text is better than none; the code lets a French reader look it up.
            _ => string.Format(CultureInfo.CurrentCulture, SocketStrings.Other, error.Message, error.SocketErrorCode),
        };
    }
}

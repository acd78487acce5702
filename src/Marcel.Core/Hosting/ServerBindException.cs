using System.Net.Sockets;

namespace Marcel.Core.Hosting;

/// <summary>The server could not listen on <see cref="Address"/>.</summary>
public sealed class ServerBindException : IOException
{
    /// <summary>Creates the exception for <paramref name="address"/>.</summary>
    public ServerBindException(string address, BindFailure failure, Exception? innerException)
        : base($"Cannot listen on {address}: {failure}", innerException)
    {
        Address = address;
        Failure = failure;
    }

    /// <summary>The address as the user gave it, host and port.</summary>
    public string Address { get; }

    /// <summary>What went wrong.</summary>
    public BindFailure Failure { get; }

    /// <summary>
    /// The exception for a failed bind of <paramref name="host"/>:<paramref name="port"/>. A port "in use" that no socket
    /// listens on is held by a connection waiting out TIME_WAIT (a client's, when the port is in the ephemeral range):
    /// that is <see cref="BindFailure.HeldByConnection"/>, which goes away by itself within a minute.
    /// </summary>
    internal static ServerBindException For(string host, int port, Exception error)
    {
        BindFailure failure = Classify(error);
        if (failure == BindFailure.AddressInUse && port != 0 && !SomethingListensOn(port))
        {
            failure = BindFailure.HeldByConnection;
        }

        return new ServerBindException(ListenAddress.Display(host, port), failure, error);
    }

    private static bool SomethingListensOn(int port)
    {
        try
        {
            return System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(l => l.Port == port);
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            return true; // Cannot tell: keep the plain "in use".
        }
    }

    /// <summary>Sorts the exception the bind or the resolver threw into a <see cref="BindFailure"/>.</summary>
    public static BindFailure Classify(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                    return BindFailure.AddressInUse;
                case SocketException { SocketErrorCode: SocketError.AddressNotAvailable }:
                    return BindFailure.AddressNotAvailable;
                case SocketException { SocketErrorCode: SocketError.AccessDenied }:
                    return BindFailure.PermissionDenied;
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return BindFailure.UnknownHost;
                case UnauthorizedAccessException:
                    return BindFailure.PermissionDenied;
            }
        }

        return BindFailure.Other;
    }
}

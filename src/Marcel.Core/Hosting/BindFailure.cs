namespace Marcel.Core.Hosting;

/// <summary>Why a server could not listen.</summary>
public enum BindFailure
{
    /// <summary>Another program already listens there.</summary>
    AddressInUse,

    /// <summary>No program listens there, but a recent connection on that port still holds it (TIME_WAIT, up to a minute).</summary>
    HeldByConnection,

    /// <summary>The address is not one of this machine's.</summary>
    AddressNotAvailable,

    /// <summary>Not allowed (ports under 1024 need privileges).</summary>
    PermissionDenied,

    /// <summary>The host name did not resolve.</summary>
    UnknownHost,

    /// <summary>Anything else; the inner exception says what.</summary>
    Other,
}

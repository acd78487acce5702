namespace Marcel.Core.Discovery;

/// <summary>Service discovery cannot run here: no interface can multicast, or the mDNS daemon asked for is not there or refused.</summary>
public sealed class DiscoveryUnavailableException : Exception
{
    /// <summary>With a message saying why.</summary>
    public DiscoveryUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>With a message saying why and the failure underneath.</summary>
    public DiscoveryUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>For the analyzers' sake.</summary>
    public DiscoveryUnavailableException()
    {
    }
}

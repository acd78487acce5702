namespace Marcel.Core.Discovery;

/// <summary>
/// A running browse for Marcel services on the local network, by the built-in querier (<see cref="MdnsBrowser"/>) or
/// through the system's mDNS daemon (Avahi). Disposing it stops the browse.
/// </summary>
public interface IServiceBrowser : IAsyncDisposable
{
    /// <summary>The instances known now, ordered by type then name.</summary>
    IReadOnlyList<ServiceInstance> Instances { get; }

    /// <summary>Completes when <see cref="Instances"/> changed (or <paramref name="cancellationToken"/> fires).</summary>
    Task WaitForChangeAsync(CancellationToken cancellationToken);
}

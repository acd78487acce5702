namespace Marcel.Core.Discovery;

/// <summary>
/// A service held announced on the local network, by the built-in responder (<see cref="MdnsResponder"/>) or by the
/// system's mDNS daemon (Avahi). Disposing it withdraws the announcement (goodbye packets).
/// </summary>
public interface IAnnouncement : IAsyncDisposable
{
    /// <summary>The instance name held now: the one asked for, or <c>Name (N)</c> after a conflict (RFC 6762 §9).</summary>
    string InstanceName { get; }

    /// <summary>Raised when a conflict found after the start made the announcement take another name (the new name is given).</summary>
    event EventHandler<string>? Renamed;
}

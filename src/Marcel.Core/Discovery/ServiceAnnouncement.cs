namespace Marcel.Core.Discovery;

/// <summary>What a server announces over DNS-SD (RFC 6763): its instance name, type, port and TXT entries.</summary>
public sealed record ServiceAnnouncement
{
    /// <summary>Default TTL of every record, in seconds: RFC 6762 §10 advises 120 s for records tied to a host, so a server that vanished without its goodbye leaves caches within two minutes.</summary>
    public const uint DefaultTtl = 120;

    /// <summary>The instance name wanted (one DNS label, up to 63 bytes of UTF-8): on a conflict it becomes <c>Name (2)</c>, <c>Name (3)</c>… (RFC 6762 §9).</summary>
    public required string InstanceName { get; init; }

    /// <summary>The service type: <c>_marcel._tcp</c> (<see cref="MarcelService.TcpType"/>) or <c>_marcel._udp</c>.</summary>
    public string ServiceType { get; init; } = MarcelService.TcpType;

    /// <summary>The port the server listens on.</summary>
    public required int Port { get; init; }

    /// <summary>The TXT entries (<c>key=value</c>), see <see cref="MarcelService"/>.</summary>
    public IReadOnlyList<string> Txt { get; init; } = [];

    /// <summary>The host label in the SRV target (<c>HOST.local</c>); default the machine's name.</summary>
    public string HostName { get; init; } = MarcelService.LocalHostLabel();

    /// <summary>TTL of the records, in seconds (1 to 4500; default <see cref="DefaultTtl"/>).</summary>
    public uint Ttl { get; init; } = DefaultTtl;
}

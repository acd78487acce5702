using System.Net;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Discovery;

/// <summary>
/// The built-in DNS-SD responder (RFC 6762, RFC 6763) for one service instance: probes for the name and renames it
/// on a conflict (<c>Name (2)</c>, §9; after fifteen conflicts in ten seconds, five seconds before each probe, §8.1), announces twice, answers queries (multicast at most once a second per
/// interface and question, §6; legacy unicast queries by unicast, §6.7), defends the name after that, and sends a
/// goodbye (TTL 0, §10.1) when disposed. Hostile packets are dropped without effect.
/// </summary>
public sealed partial class MdnsResponder : IAnnouncement
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MulticastInterval = TimeSpan.FromSeconds(1);

    private readonly ServiceAnnouncement _announcement;
    private readonly MdnsSocket _socket;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<(int, string, DnsRecordType), DateTimeOffset> _lastMulticast = [];
    private readonly Lock _gate = new();
    private readonly ProbeRateLimit _probeLimit = new();
    private Task _receiving = Task.CompletedTask;
    private string _candidate;
    private int _attempt = 1;
    private bool _announced;
    private TaskCompletionSource<bool> _conflict = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MdnsResponder(ServiceAnnouncement announcement, MdnsSocket socket, ILogger logger, TimeProvider time)
    {
        _announcement = announcement;
        _socket = socket;
        _logger = logger;
        _time = time;
        _candidate = announcement.InstanceName;
    }

    /// <inheritdoc/>
    public event EventHandler<string>? Renamed;

    /// <inheritdoc/>
    public string InstanceName
    {
        get
        {
            lock (_gate) return _candidate;
        }
    }

    /// <summary>The interfaces announced on.</summary>
    public IReadOnlyList<MdnsInterface> Interfaces => _socket.Interfaces;

    /// <summary>Opens the shared port, probes for a free name and sends the first announcement; returns once announced.</summary>
    public static async Task<MdnsResponder> StartAsync(
        ServiceAnnouncement announcement, IReadOnlyList<MdnsInterface> interfaces, ILogger logger, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        ArgumentNullException.ThrowIfNull(interfaces);
        if (interfaces.Count == 0)
        {
            throw new ArgumentException("No interface to announce on.", nameof(interfaces));
        }

        var responder = new MdnsResponder(announcement, MdnsSocket.Open(interfaces, fallBackToEphemeral: false), logger, time ?? TimeProvider.System);
        try
        {
            responder._receiving = Task.Run(responder.ReceiveLoopAsync, CancellationToken.None);
            await responder.ProbeAndAnnounceAsync(cancellationToken);
            return responder;
        }
        catch
        {
            await responder.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends the goodbye on every interface and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        bool announced;
        lock (_gate)
        {
            announced = _announced;
            _announced = false;
        }

        if (announced)
        {
            byte[] goodbye = DnsCodec.Write(new DnsMessage { IsResponse = true, IsAuthoritative = true, Answers = [.. Records(null).Select(r => r.WithTtl(0))] });
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            foreach (MdnsInterface via in _socket.Interfaces)
            {
                await _socket.SendAsync(goodbye, via, null, bound.Token);
            }

            DiscoveryLog.Withdrawn(_logger, InstanceName);
        }

        await _stop.CancelAsync();
        _socket.Dispose();
        await _receiving;
        _stop.Dispose();
    }

    private async Task ProbeAndAnnounceAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        CancellationToken token = linked.Token;
        // RFC 6762 §8.1: wait 0-250 ms before the first probe, so hosts powered on together do not probe in step.
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), _time, token);
        while (true)
        {
            await RateLimitAsync(token);
            Task<bool> conflict;
            lock (_gate) conflict = _conflict.Task;
            bool clear = true;
            for (int probe = 0; probe < 3 && clear; probe++)
            {
                byte[] query = DnsCodec.Write(new DnsMessage
                {
                    Questions = [new DnsQuestion(FullName, DnsRecordType.Any, UnicastResponse: probe == 0)],
                    Authorities = [.. UniqueRecords()],
                });
                foreach (MdnsInterface via in _socket.Interfaces)
                {
                    await _socket.SendAsync(query, via, null, token);
                }

                clear = await Task.WhenAny(conflict, Task.Delay(ProbeInterval, _time, token)) != conflict;
            }

            token.ThrowIfCancellationRequested();
            if (clear)
            {
                break;
            }

            if (!conflict.Result)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, token); // Lost a tie-break (§8.2): the winner announces, then we rename.
            }
        }

        await AnnounceAsync(token);
    }

    // RFC 6762 §8.1: after fifteen conflicts within ten seconds, five seconds before each further probe.
    private async Task RateLimitAsync(CancellationToken token)
    {
        TimeSpan pause;
        lock (_gate) pause = _probeLimit.PauseBeforeProbe(_time.GetUtcNow());
        if (pause > TimeSpan.Zero)
        {
            DiscoveryLog.ProbesRateLimited(_logger, ProbeRateLimit.MaxConflicts, InstanceName);
            await Task.Delay(pause, _time, token);
        }
    }

    private async Task AnnounceAsync(CancellationToken token)
    {
        lock (_gate) _announced = true;
        DiscoveryLog.Announced(_logger, InstanceName, string.Join(", ", _socket.Interfaces.Select(i => $"{i.Name} ({i.Address})")));
        await SendAnnouncementAsync(token);
        // §8.3: at least two announcements, one second apart; the second does not hold up the start.
        _ = Task.Run(async () =>
        {
            await Task.Delay(MulticastInterval, _time, _stop.Token);
            await SendAnnouncementAsync(_stop.Token);
        }, CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private async Task SendAnnouncementAsync(CancellationToken token)
    {
        foreach (MdnsInterface via in _socket.Interfaces)
        {
            byte[] message = DnsCodec.Write(new DnsMessage { IsResponse = true, IsAuthoritative = true, Answers = [.. Records(via)] });
            await _socket.SendAsync(message, via, null, token);
        }
    }

    private string FullName => MarcelService.FullName(InstanceName, _announcement.ServiceType);

    private string TypeName => MarcelService.TypeName(_announcement.ServiceType);

    private string HostTarget => DnsNames.Join([_announcement.HostName]) + "." + MarcelService.Domain;

    // The records only this instance may hold: what a probe proposes and a conflict is about.
    private DnsRecord[] UniqueRecords() =>
    [
        DnsRecord.Srv(FullName, _announcement.Port, HostTarget, _announcement.Ttl),
        DnsRecord.Txt(FullName, _announcement.Txt, _announcement.Ttl),
    ];

    // Everything announced; the address records of one interface (or of all, for the goodbye).
    private List<DnsRecord> Records(MdnsInterface? via)
    {
        uint ttl = _announcement.Ttl;
        var records = new List<DnsRecord>
        {
            DnsRecord.ServicePointer(TypeName, FullName, ttl),
            DnsRecord.ServicePointer(MarcelService.ServicesName, TypeName, ttl),
        };
        records.AddRange(UniqueRecords());
        records.AddRange(AddressRecords(via));
        return records;
    }

    private IEnumerable<DnsRecord> AddressRecords(MdnsInterface? via) =>
        _socket.Interfaces.Where(i => via is null || i.Index == via.Index).Select(i => i.Address).Distinct()
            .Select(a => DnsRecord.Address(HostTarget, a, _announcement.Ttl));
}

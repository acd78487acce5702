using System.Threading.Channels;
using Marcel.Core.Discovery;
using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace Marcel.Avahi;

/// <summary>
/// A service registered in an Avahi entry group: Avahi probes the name, announces it, answers for it and sends the
/// goodbye when the group is freed. A collision (with another client of this daemon, or found on the network) makes
/// Marcel take <c>Name (2)</c>, <c>Name (3)</c>… as the built-in responder does (RFC 6762 §9).
/// </summary>
internal sealed class AvahiAnnouncement : IAnnouncement
{
    private static readonly TimeSpan FreeBound = TimeSpan.FromSeconds(2);

    private readonly DBusConnection _connection;
    private readonly string _group;
    private readonly ServiceAnnouncement _announcement;
    private readonly int[] _interfaces;
    private readonly ILogger _logger;
    private readonly Channel<(int State, string Error)> _states = Channel.CreateUnbounded<(int, string)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private IDisposable? _watch;
    private Task _watching = Task.CompletedTask;
    private string _candidate;
    private int _attempt = 1;

    private AvahiAnnouncement(DBusConnection connection, string group, ServiceAnnouncement announcement, IReadOnlyList<MdnsInterface> interfaces, ILogger logger)
    {
        _connection = connection;
        _group = group;
        _announcement = announcement;
        _interfaces = [.. interfaces.Select(i => i.Index).Distinct()];
        _logger = logger;
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

    /// <summary>Makes an entry group, registers the service in it and returns once Avahi reports it established.</summary>
    public static async Task<AvahiAnnouncement> StartAsync(
        DBusConnection connection, string version, ServiceAnnouncement announcement, IReadOnlyList<MdnsInterface> interfaces, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        ArgumentNullException.ThrowIfNull(interfaces);
        if (interfaces.Count == 0)
        {
            throw new ArgumentException("No interface to announce on.", nameof(interfaces));
        }

        string group = await connection.CallMethodAsync(
            AvahiBus.Call(connection, "/", AvahiBus.ServerInterface, "EntryGroupNew"), static (m, _) => m.GetBodyReader().ReadObjectPathAsString(), null);
        var registered = new AvahiAnnouncement(connection, group, announcement, interfaces, logger);
        try
        {
            // Subscribed before the first Commit, so no state change is missed.
            registered._watch = await connection.AddMatchAsync(
                new MatchRule { Type = MessageType.Signal, Sender = AvahiBus.Service, Path = group, Interface = AvahiBus.EntryGroupInterface, Member = "StateChanged" },
                AvahiBus.ReadStateChanged,
                n =>
                {
                    if (n.HasValue) registered._states.Writer.TryWrite(n.Value);
                },
                false, ObserverFlags.None, null);
            await registered.RegisterAsync(cancellationToken);
            AvahiLog.Registered(logger, registered.InstanceName, announcement.ServiceType, announcement.Port, version);
            registered._watching = Task.Run(registered.WatchAsync, CancellationToken.None);
            return registered;
        }
        catch
        {
            await registered.DisposeAsync();
            throw;
        }
    }

    /// <summary>Frees the entry group: Avahi withdraws the records with goodbye packets (TTL 0).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        try
        {
            await _connection.CallMethodAsync(AvahiBus.Call(_connection, _group, AvahiBus.EntryGroupInterface, "Free")).WaitAsync(FreeBound);
            AvahiLog.Withdrawn(_logger, InstanceName);
        }
        catch (Exception e) when (e is DBusExceptionBase or TimeoutException)
        {
            // The daemon or the bus went away: nothing is announced through it any more.
        }

        _watch?.Dispose();
        _stop.Dispose();
    }

    // Adds the service on each interface listened on and commits; on a collision renames and tries again, until established.
    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        while (true)
        {
            try
            {
                foreach (int index in _interfaces)
                {
                    await _connection.CallMethodAsync(AvahiBus.AddService(
                        _connection, _group, index, AvahiBus.ProtocolInet, InstanceName, _announcement.ServiceType, _announcement.Port, _announcement.Txt));
                }

                await _connection.CallMethodAsync(AvahiBus.Call(_connection, _group, AvahiBus.EntryGroupInterface, "Commit"));
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == AvahiBus.CollisionError)
            {
                await RenameAsync(); // Another client of this daemon holds the name.
                continue;
            }

            while (true)
            {
                (int state, string error) = await _states.Reader.ReadAsync(linked.Token);
                if (state == AvahiBus.GroupEstablished)
                {
                    return;
                }

                if (state == AvahiBus.GroupCollision)
                {
                    await RenameAsync();
                    break;
                }

                if (state == AvahiBus.GroupFailure)
                {
                    throw new DiscoveryUnavailableException($"Avahi failed to register '{InstanceName}': {error}");
                }
            }
        }
    }

    // After the start: a collision found later (another host took the name) renames the service the same way.
    private async Task WatchAsync()
    {
        try
        {
            while (true)
            {
                (int state, string error) = await _states.Reader.ReadAsync(_stop.Token);
                if (state == AvahiBus.GroupCollision)
                {
                    await RenameAsync();
                    await RegisterAsync(_stop.Token);
                    Renamed?.Invoke(this, InstanceName);
                }
                else if (state == AvahiBus.GroupFailure)
                {
                    AvahiLog.Failed(_logger, InstanceName, error);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException || _stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is DBusExceptionBase or DiscoveryUnavailableException)
        {
            AvahiLog.Failed(_logger, InstanceName, e.Message);
        }
    }

    private async Task RenameAsync()
    {
        string old;
        string next;
        lock (_gate)
        {
            old = _candidate;
            _attempt++;
            _candidate = next = MarcelService.NumberedName(_announcement.InstanceName, _attempt);
        }

        AvahiLog.Collision(_logger, old, next);
        await _connection.CallMethodAsync(AvahiBus.Call(_connection, _group, AvahiBus.EntryGroupInterface, "Reset"));
    }
}

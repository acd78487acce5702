using Marcel.Core.Discovery;
using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace Marcel.Avahi;

/// <summary>
/// DNS-SD through the system's avahi-daemon over D-Bus, for machines where it owns port 5353 (most Linux desktops):
/// services are registered in an Avahi entry group (Avahi probes, announces, defends and says goodbye) and browsed with
/// Avahi's service browser and resolver, rather than by a second mDNS stack beside it.
/// </summary>
public sealed class AvahiDiscovery : IServiceDiscovery, IDisposable
{
    private readonly DBusConnection _connection;

    private AvahiDiscovery(DBusConnection connection, string version)
    {
        _connection = connection;
        Version = version;
    }

    /// <inheritdoc/>
    public string Name => "Avahi";

    /// <summary>Avahi's version string, e.g. <c>avahi 0.8</c>.</summary>
    public string Version { get; }

    /// <summary>
    /// Avahi on the system bus (<paramref name="busAddress"/>, default <c>DBUS_SYSTEM_BUS_ADDRESS</c> or
    /// <c>/run/dbus/system_bus_socket</c>) when it runs there; null when there is no bus, no Avahi on it (it is never
    /// started for Marcel), or no answer within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<AvahiDiscovery?> TryConnectAsync(string? busAddress, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        string address = busAddress ?? DBusAddress.System ?? "unix:path=/run/dbus/system_bus_socket";
        var connection = new DBusConnection(address);
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(timeout);
            await connection.ConnectAsync().AsTask().WaitAsync(bound.Token);
            // NoAutoStart: where avahi-daemon does not run, Marcel does its own mDNS rather than have the bus start one.
            int state = await connection.CallMethodAsync(
                AvahiBus.Call(connection, "/", AvahiBus.ServerInterface, "GetState", MessageFlags.NoAutoStart),
                static (m, _) => m.GetBodyReader().ReadInt32(), null).WaitAsync(bound.Token);
            if (state is not (AvahiBus.ServerRegistering or AvahiBus.ServerRunning))
            {
                throw new DiscoveryUnavailableException($"Avahi's server state is {state}, not running");
            }

            string version = await connection.CallMethodAsync(
                AvahiBus.Call(connection, "/", AvahiBus.ServerInterface, "GetVersionString"),
                static (m, _) => m.GetBodyReader().ReadString(), null).WaitAsync(bound.Token);
            return new AvahiDiscovery(connection, version);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            AvahiLog.Absent(logger, address, e is OperationCanceledException ? "no answer in time" : e.Message);
            connection.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<IAnnouncement> AnnounceAsync(
        ServiceAnnouncement announcement, IReadOnlyList<MdnsInterface> interfaces, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logging);
        return await AvahiAnnouncement.StartAsync(_connection, Version, announcement, interfaces, logging.CreateLogger<AvahiAnnouncement>(), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IServiceBrowser> BrowseAsync(IReadOnlyList<string> serviceTypes, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logging);
        return await AvahiBrowser.StartAsync(_connection, serviceTypes, logging.CreateLogger<AvahiBrowser>(), cancellationToken);
    }

    /// <summary>Closes the bus connection: Avahi frees every group and browser this connection made (and says goodbye for them).</summary>
    public void Dispose() => _connection.Dispose();
}

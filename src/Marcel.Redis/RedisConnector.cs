using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Marcel.Redis.Resources;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>Opens the node's one connection to Redis (StackExchange.Redis multiplexes commands and pub/sub over it).</summary>
public static class RedisConnector
{
    /// <summary>
    /// Connects, bounded by <see cref="RedisRoomOptions.Timeout"/>. With <see cref="RedisRoomOptions.StartSplit"/> a
    /// Redis that does not answer is not an error: the connection keeps trying in the background with backoff.
    /// </summary>
    /// <exception cref="RedisUnavailableException">Redis is absent, refuses the password or the TLS handshake, or does not answer in time.</exception>
    public static async Task<IConnectionMultiplexer> ConnectAsync(RedisRoomOptions options, string clientName, ILoggerFactory? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ConfigurationOptions configuration = Configure(options, clientName, logging);
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or AuthenticationException or IOException)
        {
            // The client's exception says "not possible to connect" whatever the cause: a plain TCP probe tells a
            // refused port, an unknown name and a silent network apart.
            string? network = await ProbeAsync(options.Address, options.Timeout).ConfigureAwait(false);
            throw new RedisUnavailableException(Describe(options.Address, e, network), e);
        }
    }

    /// <summary>The client's settings: fail fast while disconnected (nothing queued), reconnect with backoff, TLS verified.</summary>
    internal static ConfigurationOptions Configure(RedisRoomOptions options, string clientName, ILoggerFactory? logging)
    {
        int timeout = (int)Math.Ceiling(options.Timeout.TotalMilliseconds);
        var configuration = new ConfigurationOptions
        {
            EndPoints = { { options.Address.Host, options.Address.Port } },
            User = options.Address.User,
            Password = options.Password,
            Ssl = options.Address.Tls,
            SslHost = options.Address.Tls ? options.Address.Host : null,
            ClientName = clientName,
            AbortOnConnectFail = !options.StartSplit,
            ConnectTimeout = timeout,
            ConnectRetry = 1,
            SyncTimeout = timeout,
            AsyncTimeout = timeout,
            KeepAlive = Math.Max(1, (int)options.Heartbeat.TotalSeconds),
            // A command issued while Redis is away fails at once instead of waiting in an unbounded backlog: what is
            // said during a split reaches this node only (documented at-most-once), and memory stays flat.
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(
                (int)options.FirstRetryDelay.TotalMilliseconds, (int)options.MaxRetryDelay.TotalMilliseconds),
            // No CONFIG/INFO probing nor topology tracking: one standalone Redis, plain commands.
            AllowAdmin = false,
            LoggerFactory = logging,
        };
        if (options.Address.Tls && options.CaFile is { } caFile)
        {
            X509Certificate2Collection roots = TryLoadRoots(caFile, out string? error) ?? throw new ArgumentException(error, nameof(options));
            configuration.CertificateValidation += (_, certificate, _, errors) => ChainsTo(roots, certificate, errors);
        }

        return configuration;
    }

    /// <summary>The certificates of a PEM file (<see cref="RedisRoomOptions.CaFile"/>), or null with one line saying why not.</summary>
    public static X509Certificate2Collection? TryLoadRoots(string caFile, out string? error)
    {
        var roots = new X509Certificate2Collection();
        error = null;
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // Unreadable or not PEM: told below, as an empty file is.
        }

        if (roots.Count > 0)
        {
            return roots;
        }

        error = string.Format(CultureInfo.CurrentCulture, RedisStrings.CaUnreadable, caFile);
        return null;
    }

    /// <summary>
    /// Whether Redis's certificate chains to one of <paramref name="roots"/>, and only to them; a name mismatch or no
    /// certificate is refused whatever the roots.
    /// </summary>
    internal static bool ChainsTo(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using X509Certificate2 offered = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        // A private CA seldom publishes revocation lists; the system's roots are not consulted at all.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(offered);
    }

    /// <summary>"Cannot reach Redis at HOST:PORT: reason", in the user's language; never the password.</summary>
    internal static string Describe(RedisAddress address, Exception e, string? network)
    {
        // A refused password names itself; then, over TLS, a failed handshake: SslStream says "Authentication failed"
        // and the client files it as an authentication failure, as it does a refused password.
        string reason = network ?? e switch
        {
            _ when Mentions(e, "WRONGPASS") || Mentions(e, "NOAUTH") || Mentions(e, "invalid password") => RedisStrings.ReasonAuth,
            _ when address.Tls && (Find<AuthenticationException>(e) is not null || Mentions(e, "certificate")
                || e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure }) => RedisStrings.ReasonTls,
            RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } => RedisStrings.ReasonAuth,
            _ when Mentions(e, "authentication") => RedisStrings.ReasonAuth,
            RedisTimeoutException or TimeoutException => RedisStrings.ReasonTimeout,
            _ when Mentions(e, "timeout") || Mentions(e, "timed out") => RedisStrings.ReasonTimeout,
            _ => RedisStrings.ReasonOther,
        };
        return string.Format(CultureInfo.CurrentCulture, RedisStrings.CannotReach, address, reason);
    }

    /// <summary>Why a TCP connection to Redis fails, or <c>null</c> when it succeeds (the trouble is above TCP).</summary>
    private static async Task<string?> ProbeAsync(RedisAddress address, TimeSpan timeout)
    {
        using var bound = new CancellationTokenSource(timeout);
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await probe.ConnectAsync(address.Host, address.Port, bound.Token).ConfigureAwait(false);
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return RedisStrings.ReasonRefused;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain)
        {
            return RedisStrings.ReasonUnknownHost;
        }
        catch (OperationCanceledException)
        {
            return RedisStrings.ReasonTimeout;
        }
        catch (SocketException e)
        {
            return string.Format(CultureInfo.CurrentCulture, RedisStrings.ReasonNetwork, e.Message);
        }
    }

    private static bool Mentions(Exception e, string word)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x.Message.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T found)
            {
                return found;
            }
        }

        return null;
    }
}

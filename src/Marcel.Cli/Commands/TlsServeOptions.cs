using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Security;

namespace Marcel.Cli.Commands;

/// <summary>The TLS options of <c>marcel serve</c> (dialogue and chat alike), mapped to <see cref="TlsServerOptions"/>.</summary>
internal static class TlsServeOptions
{
    public static readonly Option<bool> Tls = new("--tls") { Description = TlsCliStrings.TlsDescription };
    private static readonly Option<string?> Cert = new("--tls-cert") { Description = TlsCliStrings.TlsCertDescription, HelpName = "file" };
    private static readonly Option<string?> Key = new("--tls-key") { Description = TlsCliStrings.TlsKeyDescription, HelpName = "file" };
    private static readonly Option<string?> PasswordEnv = new("--tls-password-env") { Description = TlsCliStrings.TlsPasswordEnvDescription, HelpName = "variable" };

    private static readonly Option<double> HandshakeTimeout = new("--tls-handshake-timeout")
    {
        Description = TlsCliStrings.TlsHandshakeTimeoutDescription,
        DefaultValueFactory = _ => TlsServerOptions.DefaultHandshakeTimeout.TotalSeconds,
        HelpName = "seconds",
    };

    /// <summary>Adds the options to <paramref name="command"/>, with the checks that tie them to <c>--tls</c>.</summary>
    public static void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Tls, Cert, Key, PasswordEnv, HandshakeTimeout })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            bool tls = result.GetValue(Tls);
            foreach (Option option in new Option[] { Cert, Key, PasswordEnv, HandshakeTimeout })
            {
                if (!tls && result.IsGiven(option))
                {
                    result.AddError(string.Format(CultureInfo.CurrentCulture, TlsCliStrings.TlsNeedsTls, option.Name));
                }
            }

            if (result.GetResult(Key) is not null && result.GetResult(Cert) is null)
            {
                result.AddError(TlsCliStrings.TlsKeyNeedsCert);
            }
        });
        HandshakeTimeout.Validators.Add(result =>
        {
            double seconds = result.GetValueOrDefault<double>();
            if (seconds <= 0 || seconds > TlsServerOptions.HandshakeTimeoutCap.TotalSeconds)
            {
                result.AddError(string.Format(CultureInfo.CurrentCulture, CliStrings.InvalidPositive, HandshakeTimeout.Name));
            }
        });
    }

    /// <summary>
    /// Null without <c>--tls</c>. Otherwise loads or creates the certificate and prints its fingerprint; on failure writes
    /// one line and returns false.
    /// </summary>
    public static bool TryResolve(ParseResult parse, ConsoleTerminal terminal, out TlsServerOptions? options)
    {
        options = null;
        if (!parse.GetValue(Tls))
        {
            return true;
        }

        string? certFile = parse.GetValue(Cert);
        try
        {
            var certificate = certFile is null ? SelfSigned(terminal) : Load(certFile, parse.GetValue(Key), parse.GetValue(PasswordEnv));
            options = new TlsServerOptions { Certificate = certificate, HandshakeTimeout = TimeSpan.FromSeconds(parse.GetValue(HandshakeTimeout)) }.Validate();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException or KeyNotFoundException)
        {
            string file = certFile ?? Path.Combine(ServerCertificate.DefaultFolder, ServerCertificate.SelfSignedFileName);
            terminal.WriteError(e is KeyNotFoundException ? e.Message : string.Format(CultureInfo.CurrentCulture, TlsCliStrings.TlsCertificateUnreadable, file, e.Message));
            return false;
        }

        terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, TlsCliStrings.TlsFingerprint, CertificateFingerprint.Of(options.Certificate)));
        return true;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned(ConsoleTerminal terminal)
    {
        string folder = ServerCertificate.DefaultFolder;
        var certificate = ServerCertificate.LoadOrCreateSelfSigned(folder, out bool created);
        string file = Path.Combine(folder, ServerCertificate.SelfSignedFileName);
        terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, created ? TlsCliStrings.TlsSelfSignedCreated : TlsCliStrings.TlsSelfSignedReused, file));
        return certificate;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 Load(string certFile, string? keyFile, string? passwordVariable)
    {
        if (keyFile is not null || File.ReadAllBytes(certFile).AsSpan().IndexOf("-----BEGIN"u8) >= 0)
        {
            return ServerCertificate.LoadPem(certFile, keyFile);
        }

        string? password = null;
        if (passwordVariable is not null)
        {
            password = Environment.GetEnvironmentVariable(passwordVariable)
                ?? throw new KeyNotFoundException(string.Format(CultureInfo.CurrentCulture, TlsCliStrings.TlsPasswordVariableMissing, passwordVariable));
        }

        return ServerCertificate.LoadPkcs12(certFile, password);
    }
}

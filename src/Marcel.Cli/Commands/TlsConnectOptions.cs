using System.CommandLine;
using System.Globalization;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Security;

namespace Marcel.Cli.Commands;

/// <summary>The TLS options of <c>marcel connect</c>, mapped to <see cref="TlsClientOptions"/>.</summary>
internal static class TlsConnectOptions
{
    public static readonly Option<bool> Tls = new("--tls") { Description = TlsCliStrings.ConnectTlsDescription };
    private static readonly Option<string?> Fingerprint = new("--tls-fingerprint") { Description = TlsCliStrings.TlsFingerprintDescription, HelpName = "sha256" };
    private static readonly Option<bool> Insecure = new("--insecure", "-k") { Description = TlsCliStrings.InsecureDescription };

    /// <summary>Adds the options to <paramref name="command"/>, with the checks that tie them to <c>--tls</c>.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(Tls);
        command.Options.Add(Fingerprint);
        command.Options.Add(Insecure);
        command.Validators.Add(result =>
        {
            bool tls = result.GetValue(Tls);
            foreach (Option option in new Option[] { Fingerprint, Insecure })
            {
                if (!tls && result.GetResult(option) is not null)
                {
                    result.AddError(string.Format(CultureInfo.CurrentCulture, TlsCliStrings.TlsNeedsTls, option.Name));
                }
            }

            if (result.GetValue(Fingerprint) is { } text && CertificateFingerprint.Parse(text) is null)
            {
                result.AddError(TlsCliStrings.TlsFingerprintInvalid);
            }
        });
    }

    /// <summary>Null without <c>--tls</c>; warns once on stderr when <c>--insecure</c> turns the checks off.</summary>
    public static TlsClientOptions? Resolve(ParseResult parse, ConsoleTerminal terminal)
    {
        if (!parse.GetValue(Tls))
        {
            return null;
        }

        byte[]? pinned = parse.GetValue(Fingerprint) is { } text ? CertificateFingerprint.Parse(text) : null;
        bool insecure = parse.GetValue(Insecure) && pinned is null;
        if (insecure)
        {
            terminal.WriteError(TlsCliStrings.TlsInsecureWarning);
        }

        return new TlsClientOptions { PinnedFingerprint = pinned, Insecure = insecure };
    }

    /// <summary>One line saying why the handshake with <paramref name="address"/> failed, and what to do about it.</summary>
    public static string Describe(TlsHandshakeException e, string host, string address, TimeSpan timeout)
    {
        string reason = e.Failure switch
        {
            TlsFailure.Untrusted => Format(TlsCliStrings.TlsUntrusted, e.ServerFingerprint),
            TlsFailure.NameMismatch => Format(TlsCliStrings.TlsNameMismatch, host),
            TlsFailure.FingerprintMismatch => Format(TlsCliStrings.TlsFingerprintMismatch, e.ServerFingerprint),
            TlsFailure.NoCertificate => TlsCliStrings.TlsNoCertificate,
            TlsFailure.TimedOut => Format(TlsCliStrings.TlsTimedOut, timeout.TotalSeconds),
            _ => TlsCliStrings.TlsProtocol,
        };
        return Format2(TlsCliStrings.TlsHandshakeFailed, address, reason);
    }

    private static string Format(string format, object? argument) => string.Format(CultureInfo.CurrentCulture, format, argument);

    private static string Format2(string format, object? first, object? second) => string.Format(CultureInfo.CurrentCulture, format, first, second);
}

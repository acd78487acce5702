using System.CommandLine;
using System.Globalization;
using System.Net;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Fetch;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel fetch</c>: the chapter's page retrieval, with curl's options, manners and exit codes.</summary>
internal static class FetchCommand
{
    /// <summary>What <c>-C -</c> parses to: resume from the output file's size.</summary>
    private const long FromFileSize = -1;

    private static readonly Argument<string> Url = new("url") { Description = FetchHelp.Url };
    private static readonly Option<string> Output = new("--output", "-o") { Description = FetchHelp.Output, HelpName = "file" };
    private static readonly Option<bool> Include = new("--include", "-i") { Description = FetchHelp.Include };
    private static readonly Option<bool> Head = new("--head", "-I") { Description = FetchHelp.Head };
    private static readonly Option<string[]> Header = new("--header", "-H") { Description = FetchHelp.Header, HelpName = "'Name: value'" };
    private static readonly Option<string> UserAgent = new("--user-agent", "-A") { Description = FetchHelp.UserAgent, HelpName = "name" };
    private static readonly Option<bool> Location = new("--location", "-L") { Description = FetchHelp.Location };
    private static readonly Option<int> MaxRedirs = new("--max-redirs") { Description = FetchHelp.MaxRedirs, DefaultValueFactory = _ => 50, HelpName = "n" };
    private static readonly Option<double?> MaxTime = new("--max-time", "-m") { Description = FetchHelp.MaxTime, HelpName = "seconds" };
    private static readonly Option<double?> ConnectTimeout = new("--connect-timeout") { Description = FetchHelp.ConnectTimeout, HelpName = "seconds" };
    private static readonly Option<bool> Insecure = new("--insecure", "-k") { Description = FetchHelp.Insecure };
    private static readonly Option<bool> Fail = new("--fail", "-f") { Description = FetchHelp.Fail };
    private static readonly Option<bool> Silent = new("--silent", "-s") { Description = FetchHelp.Silent };
    private static readonly Option<bool> ShowError = new("--show-error", "-S") { Description = FetchHelp.ShowError };
    private static readonly Option<string> Proxy = new("--proxy", "-x") { Description = FetchHelp.Proxy, HelpName = "[http://]host[:port]" };
    private static readonly Option<string> ProxyUser = new("--proxy-user", "-U") { Description = FetchHelp.ProxyUser, HelpName = "user[:password]" };
    private static readonly Option<string> NoProxy = new("--noproxy") { Description = FetchHelp.NoProxy, HelpName = "hosts" };
    private static readonly Option<bool> RemoteName = new("--remote-name", "-O") { Description = FetchHelp.RemoteName };
    private static readonly Option<string> Request = new("--request", "-X") { Description = FetchHelp.Request, HelpName = "method" };
    private static readonly Option<string[]> Data = new("--data", "-d") { Description = FetchHelp.Data, HelpName = "data|@file" };
    private static readonly Option<string[]> DataBinary = new("--data-binary") { Description = FetchHelp.DataBinary, HelpName = "data|@file" };
    private static readonly Option<string> User = new("--user", "-u") { Description = FetchHelp.User, HelpName = "user[:password]" };
    private static readonly Option<bool> Compressed = new("--compressed") { Description = FetchHelp.Compressed };
    private static readonly Option<long?> ContinueAt = new("--continue-at", "-C")
    {
        Description = FetchHelp.ContinueAt,
        HelpName = "offset|-",
        CustomParser = ValueParsers.NullableParser("--continue-at", null, FetchHelp.AcceptsOffset, ParseOffset),
    };

    private static readonly Option<string> WriteOutFormat = new("--write-out", "-w") { Description = FetchHelp.WriteOut, HelpName = "format" };

    public static Command Create()
    {
        var command = new Command("fetch", FetchHelp.Description)
        {
            Url, Output, Include, Head, Header, UserAgent, Location, MaxRedirs, MaxTime, ConnectTimeout,
            Insecure, Fail, Silent, ShowError, Proxy, ProxyUser, NoProxy,
            RemoteName, Request, Data, DataBinary, User, Compressed, ContinueAt, WriteOutFormat,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        bool quiet = parse.GetValue(Silent) && !parse.GetValue(ShowError);
        bool verbose = parse.GetValue(CommonOptions.Verbose);
        FetchOptions options;
        try
        {
            // Asked before Ctrl-C is taken over, so that Ctrl-C at the password prompt simply ends the program.
            options = ToOptions(parse);
        }
        catch (FetchException e)
        {
            return Report(e, quiet, verbose);
        }

        using var signal = new TerminationSignal();
        try
        {
            string? file = parse.GetValue(Output) ?? (parse.GetValue(RemoteName) ? RemoteFileName(options.Url) : null);
            (long resumeFrom, bool append) = Resume(parse.GetValue(ContinueAt), file);
            options = options with { ResumeFrom = resumeFrom };
            FetchResult result = await FetchRunner.RunAsync(options, ToOutput(parse, options, file, append), signal.Token);
            if (result.AlreadyComplete && !parse.GetValue(Silent))
            {
                Console.Error.WriteLine(Format(FetchHelp.AlreadyComplete, file ?? "stdout", resumeFrom));
            }

            WriteOutIfAsked(parse, result);
            return FetchExitCodes.Success;
        }
        catch (Exception) when (signal.Token.IsCancellationRequested)
        {
            // Whatever the interrupted read or write threw, the user's Ctrl-C is the reason.
            return signal.InterruptedExitCode;
        }
        catch (FetchException e)
        {
            // As curl, -w writes out after a failed transfer too (%{http_code} 000 when no response came).
            WriteOutIfAsked(parse, e.Result);
            return Report(e, quiet, verbose);
        }
    }

    private static void WriteOutIfAsked(ParseResult parse, FetchResult? result)
    {
        if (parse.GetValue(WriteOutFormat) is { } format && result is not null)
        {
            using Stream stdout = Console.OpenStandardOutput();
            stdout.Write(System.Text.Encoding.UTF8.GetBytes(WriteOut.Format(format, result)));
        }
    }

    private static FetchOptions ToOptions(ParseResult parse)
    {
        string url = parse.GetValue(Url)!;
        // As curl: a URL without a scheme is taken as http.
        string absolute = url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url;
        if (!Uri.TryCreate(absolute, UriKind.Absolute, out Uri? uri))
        {
            throw new FetchException(FetchExitCodes.BadUrl, Format(FetchHelp.BadUrl, url));
        }

        return new FetchOptions
        {
            Url = uri,
            HeadOnly = parse.GetValue(Head),
            Headers = Headers(parse.GetValue(Header) ?? []),
            UserAgent = parse.GetValue(UserAgent),
            FollowRedirects = parse.GetValue(Location),
            MaxRedirects = parse.GetValue(MaxRedirs),
            MaxTime = Seconds(parse.GetValue(MaxTime)),
            ConnectTimeout = Seconds(parse.GetValue(ConnectTimeout)) ?? new FetchOptions { Url = uri }.ConnectTimeout,
            Insecure = parse.GetValue(Insecure),
            FailOnHttpError = parse.GetValue(Fail),
            Proxy = parse.GetValue(Proxy),
            NoProxy = parse.GetValue(NoProxy),
            ProxyCredentials = parse.GetValue(ProxyUser) is { } proxyUser ? Credentials(proxyUser, "MARCEL_PROXY_PASSWORD", FetchHelp.PasswordPrompt) : null,
            Credentials = parse.GetValue(User) is { } user ? Credentials(user, "MARCEL_PASSWORD", FetchHelp.ServerPasswordPrompt) : null,
            Method = parse.GetValue(Request),
            Body = RequestBody.From(parse.GetValue(Data), parse.GetValue(DataBinary)),
            Compressed = parse.GetValue(Compressed),
        };
    }

    private static FetchOutput ToOutput(ParseResult parse, FetchOptions options, string? file, bool append)
    {
        bool toStdout = file is null or "-";
        // As curl: the meter goes to stderr whenever the body does not go to the terminal and stderr is one.
        bool showProgress = (!toStdout || Console.IsOutputRedirected) && !options.HeadOnly && !parse.GetValue(Silent) && !Console.IsErrorRedirected;
        return new FetchOutput
        {
            Stdout = Console.OpenStandardOutput(),
            // "-o -" asks for the raw body even on a terminal, as curl's "--output -".
            Terminal = file is null && !Console.IsOutputRedirected ? Console.Out : null,
            File = toStdout ? null : file,
            Append = append,
            IncludeHead = parse.GetValue(Include),
            Trace = parse.GetValue(CommonOptions.Verbose) ? Console.Error : null,
            Progress = showProgress ? new DownloadProgress(toStdout ? "stdout" : Path.GetFileName(file!)) : null,
        };
    }

    /// <summary>
    /// curl's <c>-C</c>: the offset asked for and whether the file is appended to. <c>-C -</c> continues the output file
    /// from its size (0 when it does not exist yet); to stdout it means no resume at all, as in curl.
    /// </summary>
    private static (long From, bool Append) Resume(long? continueAt, string? file)
    {
        bool toFile = file is not (null or "-");
        return continueAt switch
        {
            null => (0, false),
            FromFileSize when toFile => (File.Exists(file) ? new FileInfo(file!).Length : 0, true),
            FromFileSize => (0, false),
            { } offset => (offset, toFile),
        };
    }

    /// <summary>A byte offset, or <c>-</c> for the output file's size.</summary>
    private static long? ParseOffset(string text) =>
        text == "-" ? FromFileSize
        : long.TryParse(text, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out long offset) ? offset
        : null;

    /// <summary>curl's <c>-O</c>: the URL's last path segment, in the current directory.</summary>
    private static string RemoteFileName(Uri url)
    {
        string name = Uri.UnescapeDataString(url.Segments[^1]);
        if (name.Length == 0 || name.EndsWith('/') || name is "." or ".." || name.Contains('/', StringComparison.Ordinal))
        {
            throw new FetchException(FetchExitCodes.WriteError, Format(FetchHelp.NoRemoteName, url));
        }

        return name;
    }

    private static List<KeyValuePair<string, string?>> Headers(string[] lines)
    {
        var headers = new List<KeyValuePair<string, string?>>();
        foreach (string line in lines)
        {
            if (!RequestHeaders.TryParse(line, out KeyValuePair<string, string?> header))
            {
                throw new FetchException(FetchExitCodes.FailedInit, Format(FetchHelp.BadHeader, line));
            }

            headers.Add(header);
        }

        return headers;
    }

    private static NetworkCredential Credentials(string user, string passwordVariable, string prompt)
    {
        int colon = user.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            return new NetworkCredential(user[..colon], user[(colon + 1)..]);
        }

        string? password = NonEmpty(Environment.GetEnvironmentVariable(passwordVariable))
            ?? PasswordPrompt.Ask(Format(prompt, user))
            ?? throw new FetchException(FetchExitCodes.FailedInit, Format(FetchHelp.PasswordMissing, user, passwordVariable));
        return new NetworkCredential(user, password);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static TimeSpan? Seconds(double? value) => value is { } s and > 0 ? TimeSpan.FromSeconds(s) : null;

    private static int Report(FetchException e, bool quiet, bool verbose)
    {
        if (!quiet)
        {
            Console.Error.WriteLine(Format(FetchHelp.Failed, e.ExitCode, e.Message));
            if (verbose && e.InnerException is { } inner)
            {
                Console.Error.WriteLine(inner);
            }
        }

        return e.ExitCode;
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Marcel.Tests.Support;

/// <summary>
/// A real program under test or a real peer (marcel, python3, nc, ncat, script…), with its stdin to write to and
/// its stdout and stderr captured as they come, prompts without newlines included. Every wait is bounded; the
/// process tree is killed on dispose.
/// </summary>
internal sealed partial class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly object _gate = new();
    private readonly Task _readers;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PeerProcess(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, _output), PumpAsync(process.StandardError.BaseStream, _error));
    }

    public string Name => _process.StartInfo.FileName;

    public int Id => _process.Id;

    /// <summary>All that the process wrote to stdout so far.</summary>
    public string Output
    {
        get { lock (_gate) return _output.ToString(); }
    }

    /// <summary>All that the process wrote to stderr so far.</summary>
    public string Error
    {
        get { lock (_gate) return _error.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public static PeerProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // English unless a test asks otherwise; never the developer's own locale.
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment.Remove("LC_ALL");
        start.Environment["DOTNET_NOLOGO"] = "1";
        // No diagnostics IPC: each .NET process makes /tmp/clr-debug-pipe-PID-* and dotnet-diagnostic-PID-* files that
        // only a clean exit removes, and most peers here end killed.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["PYTHONUNBUFFERED"] = "1";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {fileName}");
        return new PeerProcess(process);
    }

    /// <summary>Writes raw text to stdin.</summary>
    public async Task WriteAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Writes a line to stdin.</summary>
    public Task WriteLineAsync(string line) => WriteAsync(line + "\n");

    /// <summary>Closes stdin: the program sees the end of its input.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits until stdout contains <paramref name="text"/> (<paramref name="count"/> times); returns stdout.</summary>
    public Task<string> WaitForOutputAsync(string text, int count = 1, TimeSpan? timeout = null) =>
        WaitForAsync(() => Output, s => Occurrences(s, text) >= count, $"stdout to contain '{text}' x{count}", timeout);

    /// <summary>Waits until stderr contains <paramref name="text"/> (<paramref name="count"/> times); returns stderr.</summary>
    public Task<string> WaitForErrorAsync(string text, int count = 1, TimeSpan? timeout = null) =>
        WaitForAsync(() => Error, s => Occurrences(s, text) >= count, $"stderr to contain '{text}' x{count}", timeout);

    /// <summary>Waits for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(timeout ?? Timeouts.Process);
        try
        {
            await _process.WaitForExitAsync(bound.Token);
            await _readers.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit in time.\n--- stdout:\n{Output}\n--- stderr:\n{Error}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal (SIGINT = 2, SIGTERM = 15).</summary>
    public void Signal(int signal) => _ = Kill(_process.Id, signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _process.Dispose();
    }

    public override string ToString() => $"{Name}\n--- stdout:\n{Output}\n--- stderr:\n{Error}";

    private static int Occurrences(string haystack, string needle)
    {
        int count = 0;
        for (int at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private async Task<string> WaitForAsync(Func<string> read, Func<string, bool> done, string what, TimeSpan? timeout)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(timeout ?? Timeouts.Step);
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;
            string now = read();
            if (done(now))
            {
                return now;
            }

            if (_readers.IsCompleted)
            {
                throw new InvalidOperationException($"{Name} ended before {what}.\n{this}");
            }

            try
            {
                await Task.WhenAny(changed, _readers).WaitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}.\n{this}");
            }
        }
    }

    private async Task PumpAsync(Stream stream, StringBuilder into)
    {
        Decoder decoder = Encoding.UTF8.GetDecoder();
        byte[] bytes = new byte[8192];
        char[] chars = new char[8192 + 4];
        int read;
        while ((read = await stream.ReadAsync(bytes)) > 0)
        {
            int count = decoder.GetChars(bytes, 0, read, chars, 0);
            lock (_gate)
            {
                into.Append(chars, 0, count);
                _changed.TrySetResult();
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        lock (_gate) _changed.TrySetResult();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

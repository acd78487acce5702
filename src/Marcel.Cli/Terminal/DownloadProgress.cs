using System.Globalization;
using Marcel.Cli.Resources;
using Marcel.Core.Fetch;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Marcel.Cli.Terminal;

/// <summary>
/// The <c>-o</c> progress bar on stderr (size, percentage, speed, time left), drawn by Spectre.Console. The download
/// only stores a number per chunk; the bar reads it ten times a second on its own task, so drawing never slows the
/// transfer. Its last line is curl's final meter: the bytes received (not the announced total, which an interrupted
/// download never reached), the total time and the average speed.
/// </summary>
internal sealed class DownloadProgress(string name) : IFetchProgress
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(100);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _render = Task.CompletedTask;
    private long _received;
    private volatile bool _complete;

    public void Start(long? total)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            // Spectre judges interactivity by stdout too, and drew nothing with stdout redirected; the CLI creates this
            // bar only when stderr is a terminal, which is all it needs.
            Interactive = InteractionSupport.Yes,
        });
        _render = console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new WhileRunningColumn(new DownloadedColumn(), task => Size(task.Value)),
                new WhileRunningColumn(new TransferSpeedColumn(), task => Format(CliStrings.ProgressAverageSpeed, Size(AverageSpeed(task)))),
                new WhileRunningColumn(new RemainingTimeColumn(), task => Format(CliStrings.ProgressTotalTime, Duration(task.ElapsedTime ?? TimeSpan.Zero))))
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(name), maxValue: total ?? long.MaxValue);
                task.IsIndeterminate = total is null;
                while (!_done.Task.IsCompleted)
                {
                    task.Value = Volatile.Read(ref _received);
                    await Task.WhenAny(_done.Task, Task.Delay(Refresh));
                }

                task.Value = Volatile.Read(ref _received);
                if (total is null && _complete)
                {
                    // The size is known now: a whole body of unknown length ends at 100 %, not at 0 %.
                    task.IsIndeterminate = false;
                    task.MaxValue = Math.Max(task.Value, 1);
                    task.Value = task.MaxValue;
                }

                task.StopTask();
                context.Refresh();
            });
    }

    public void Report(long received) => Volatile.Write(ref _received, received);

    public void Complete() => _complete = true;

    public async ValueTask DisposeAsync()
    {
        _done.TrySetResult();
        await _render;
    }

    private static double AverageSpeed(ProgressTask task) =>
        task.ElapsedTime is { TotalSeconds: > 0 } elapsed ? task.Value / elapsed.TotalSeconds : task.Value;

    /// <summary>A byte count in binary units, as curl's meter counts (1 KiB = 1024 bytes).</summary>
    internal static string Size(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        int unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Format(CultureInfo.CurrentCulture, "{0:0} {1}", bytes, units[unit])
            : string.Format(CultureInfo.CurrentCulture, "{0:0.0} {1}", bytes, units[unit]);
    }

    /// <summary>Seconds with a tenth under a minute (<c>2.4 s</c>), else <c>h:mm:ss</c> as curl's time columns.</summary>
    internal static string Duration(TimeSpan elapsed) =>
        elapsed < TimeSpan.FromMinutes(1)
            ? string.Format(CultureInfo.CurrentCulture, "{0:0.0} s", elapsed.TotalSeconds)
            : elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);

    private static string Format(string format, string value) => string.Format(CultureInfo.CurrentCulture, format, value);

    /// <summary>Spectre's own column while the download runs; once stopped, the final meter's text instead.</summary>
    private sealed class WhileRunningColumn(ProgressColumn running, Func<ProgressTask, string> finished) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            task.StopTime is null ? running.Render(options, task, deltaTime) : new Text(finished(task));
    }
}

using Marcel.Core.Fetch;
using Spectre.Console;

namespace Marcel.Cli.Terminal;

/// <summary>
/// The <c>-o</c> progress bar on stderr (size, percentage, speed, time left), drawn by Spectre.Console. The download
/// only stores a number per chunk; the bar reads it ten times a second on its own task, so drawing never slows the
/// transfer.
/// </summary>
internal sealed class DownloadProgress(string name) : IFetchProgress
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(100);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _render = Task.CompletedTask;
    private long _received;

    public void Start(long? total)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        _render = console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
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
                task.StopTask();
            });
    }

    public void Report(long received) => Volatile.Write(ref _received, received);

    public async ValueTask DisposeAsync()
    {
        _done.TrySetResult();
        await _render;
    }
}

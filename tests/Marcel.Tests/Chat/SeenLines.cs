using Marcel.Tests.Support;

namespace Marcel.Tests.Chat;

/// <summary>
/// The lines a raw client (<see cref="FastReader"/>) saw, in order, and a wait for one of them that wakes on each new
/// line (no polling). Each wait scans only the lines that arrived since its last look, so a flood stays linear.
/// </summary>
internal sealed class SeenLines
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Records a line: the <see cref="FastReader"/> callback.</summary>
    public void Add(string line)
    {
        TaskCompletionSource added;
        lock (_gate)
        {
            _lines.Add(line);
            added = _added;
            _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.TrySetResult();
    }

    /// <summary>The last line seen.</summary>
    public string Last()
    {
        lock (_gate) return _lines[^1];
    }

    /// <summary>Waits until <paramref name="line"/> has been seen (within <see cref="Timeouts.Step"/>); returns every line seen.</summary>
    public async Task<string[]> WaitForAsync(string line)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Timeouts.Step);
        int looked = 0;
        while (true)
        {
            Task added;
            lock (_gate)
            {
                if (_lines.IndexOf(line, looked) >= 0) return [.. _lines];
                looked = _lines.Count;
                added = _added.Task;
            }

            try
            {
                await added.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                lock (_gate) Assert.Fail($"never saw '{line}'; saw:\n{string.Join('\n', _lines.TakeLast(20))}");
            }
        }
    }
}

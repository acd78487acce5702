namespace Marcel.Tests.Support;

/// <summary>Bounds for every wait in the tests: generous for a loaded 2-core CI machine, but always finite.</summary>
internal static class Timeouts
{
    /// <summary>How long to wait for something that should happen promptly.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a process may take to start and say it listens: a cold .NET start (JIT) or Wine's console is several
    /// seconds on a quiet machine and can pass <see cref="Step"/> when the machine is loaded (seen in CI at load average 55).
    /// </summary>
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    /// <summary>How long a whole process may run in a test.</summary>
    public static readonly TimeSpan Process = TimeSpan.FromSeconds(60);

    /// <summary>A token that fires after <see cref="Step"/>, linked to the test's own cancellation.</summary>
    public static CancellationToken StepToken()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(Step);
        return source.Token;
    }
}

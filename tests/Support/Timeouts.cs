namespace Marcel.Tests.Support;

/// <summary>Bounds for every wait in the tests: generous for a loaded 2-core CI machine, but always finite.</summary>
internal static class Timeouts
{
    /// <summary>How long to wait for something that should happen promptly.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

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

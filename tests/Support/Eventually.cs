using System.Diagnostics;

namespace Marcel.Tests.Support;

/// <summary>
/// Waits, within a bound, for a state that nothing announces: a counter of the host or the room going down, a member
/// taking its seat, a queue emptying. A bounded poll, kept for these alone; where an event exists (a line, a
/// callback, a task), tests await it instead.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test after <paramref name="bound"/> (default <see cref="Timeouts.Step"/>).</summary>
    public static async Task TrueAsync(Func<bool> condition, Func<string>? describe = null, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan limit = bound ?? Timeouts.Step;
        while (!condition())
        {
            if (clock.Elapsed > limit) Assert.Fail("Timed out: " + (describe?.Invoke() ?? "the condition never held"));
            await Task.Delay(Interval, TestContext.Current.CancellationToken);
        }
    }
}

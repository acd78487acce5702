using System.Diagnostics;

namespace Marcel.Tests.Support;

/// <summary>iproute2's <c>ip</c>, as the namespace fixtures (<see cref="PrivateLink"/>, <see cref="LocalLan"/>) run it.</summary>
internal static class IpCommand
{
    /// <summary>
    /// Makes network namespace <paramref name="name"/>; skips the test when that is not permitted (no root), or fails
    /// it under CI=true, where a skipped test is a failure.
    /// </summary>
    public static void AddNamespaceOrSkip(string name)
    {
        ExternalProgram.Require("ip");
        if (Run(["netns", "add", name]) is { } refused)
        {
            string reason = $"cannot create a network namespace (needs root): {refused}";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }
    }

    /// <summary>Runs <c>ip</c>; throws with its error text when it fails.</summary>
    public static void Must(string[] arguments)
    {
        if (Run(arguments) is { } error)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {error}");
        }
    }

    /// <summary>Runs <c>ip</c>; null on success, else its error text.</summary>
    public static string? Run(string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeouts.Step))
        {
            process.Kill();
            return "timed out";
        }

        return process.ExitCode == 0 ? null : error.Result.Trim();
    }
}

namespace Marcel.Tests.Support;

/// <summary>
/// Finds a real peer (nc, ncat, socat, python3, …) on PATH. Missing, the test is skipped on a developer's
/// machine, but fails under CI=true: CI installs every peer, so a skip there would hide a lost test.
/// </summary>
internal static class ExternalProgram
{
    public static string Require(string name)
    {
        string? path = Find(name);
        if (path is not null)
        {
            return path;
        }

        string reason = $"'{name}' is not installed (.ci/run installs it).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return name;
    }

    public static string? Find(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

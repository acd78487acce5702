using System.Globalization;

namespace Marcel.Tests.Support;

/// <summary>The chapter's Python scripts (samples/python), made runnable on a test's port.</summary>
internal static class SeedScript
{
    /// <summary>Copies a seed script with its <c>PORT = 50000</c> line set to <paramref name="port"/>; returns the copy's path.</summary>
    public static string OnPort(string name, int port)
    {
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "python", name));
        Assert.Contains("PORT = 50000", source, StringComparison.Ordinal);
        string path = TestFolders.NewFile(name);
        File.WriteAllText(path, source.Replace("PORT = 50000", "PORT = " + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return path;
    }
}

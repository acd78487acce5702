[assembly: AssemblyFixture(typeof(Marcel.Tests.Support.TestFolders))]

namespace Marcel.Tests.Support;

/// <summary>
/// Scratch files and folders of one test run (config folders, certificates, copies of the seed scripts), all under one
/// root that is deleted when the run ends, so runs leave nothing behind in /tmp.
/// </summary>
public sealed class TestFolders : IDisposable
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"marcel-tests-{Environment.ProcessId}");

    /// <summary>A new empty folder whose name starts with <paramref name="prefix"/>.</summary>
    public static string NewFolder(string prefix) =>
        Directory.CreateDirectory(Path.Combine(Root, prefix + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>A path for a new file named <paramref name="name"/>, in a folder of its own.</summary>
    public static string NewFile(string name) => Path.Combine(NewFolder("file-"), name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing was created, or a peer still holds a file: /tmp's own cleaning will do.
        }
    }
}

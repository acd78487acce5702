namespace Marcel.Core;

/// <summary>The system this process runs on: what each platform seam is given in real use (tests give the others).</summary>
public static class ThisSystem
{
    /// <summary>This process's operating system.</summary>
    public static OsKind Kind { get; } =
        OperatingSystem.IsLinux() ? OsKind.Linux
        : OperatingSystem.IsMacOS() ? OsKind.MacOS
        : OperatingSystem.IsWindows() ? OsKind.Windows
        : OsKind.OtherUnix;
}

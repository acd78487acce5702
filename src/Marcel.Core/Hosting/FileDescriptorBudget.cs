namespace Marcel.Core.Hosting;

/// <summary>
/// How many more connections the process can hold before it runs out of file descriptors. Running out is not a polite
/// failure in .NET: the runtime itself aborts ("Out of memory.") when it cannot get a descriptor, so a server must stop
/// accepting well before that.
/// </summary>
internal static class FileDescriptorBudget
{
    /// <summary>Descriptors kept free for the runtime, logging, DNS, certificates: everything that is not a client.</summary>
    public const int Reserve = 48;

    /// <summary>
    /// The connections that fit: the soft <c>RLIMIT_NOFILE</c> minus the descriptors already open minus <see cref="Reserve"/>,
    /// at least 1; <see cref="int.MaxValue"/> where there is no such limit (Windows) or it cannot be read.
    /// </summary>
    public static int AvailableConnections()
    {
        if (!OperatingSystem.IsLinux())
        {
            return int.MaxValue;
        }

        try
        {
            long? soft = SoftLimit(File.ReadAllLines("/proc/self/limits"));
            if (soft is null or >= int.MaxValue)
            {
                return int.MaxValue;
            }

            int open = Directory.GetFileSystemEntries("/proc/self/fd").Length;
            return (int)Math.Max(1, soft.Value - open - Reserve);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return int.MaxValue;
        }
    }

    /// <summary>The soft limit from <c>/proc/self/limits</c>' "Max open files  SOFT  HARD  files" line; null when unlimited or absent.</summary>
    internal static long? SoftLimit(IEnumerable<string> limits)
    {
        const string Label = "Max open files";
        string? line = limits.FirstOrDefault(l => l.StartsWith(Label, StringComparison.Ordinal));
        string[] fields = line?[Label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return fields.Length > 0 && long.TryParse(fields[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long soft) ? soft : null;
    }
}

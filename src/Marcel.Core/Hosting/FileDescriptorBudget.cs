using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Marcel.Core.Hosting;

/// <summary>
/// How many more connections the process can hold before it runs out of file descriptors. Running out is not a polite
/// failure in .NET: the runtime itself aborts ("Out of memory.") when it cannot get a descriptor, so a server must stop
/// accepting well before that.
/// </summary>
internal static partial class FileDescriptorBudget
{
    /// <summary>Descriptors kept free for the runtime, logging, DNS, certificates: everything that is not a client.</summary>
    public const int Reserve = 48;

    /// <summary>
    /// The connections that fit: the soft <c>RLIMIT_NOFILE</c> minus the descriptors already open minus <see cref="Reserve"/>,
    /// at least 1. Linux reads both from <c>/proc/self</c>; macOS asks <c>getrlimit</c> and counts <c>/dev/fd</c>.
    /// <see cref="int.MaxValue"/> where there is no such limit or it cannot be read: Windows has none (a socket is a
    /// kernel handle, and a process may hold millions), so there the connection limit alone applies.
    /// </summary>
    public static int AvailableConnections()
    {
        try
        {
            (long? soft, string openDescriptors) =
                OperatingSystem.IsLinux() ? (SoftLimit(File.ReadAllLines("/proc/self/limits")), "/proc/self/fd")
                : OperatingSystem.IsMacOS() ? (MacSoftLimit(), "/dev/fd")
                : (null, string.Empty);
            if (soft is null or >= int.MaxValue)
            {
                return int.MaxValue;
            }

            int open = Directory.GetFileSystemEntries(openDescriptors).Length;
            return (int)Math.Max(1, soft.Value - open - Reserve);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return int.MaxValue;
        }
    }

    [SupportedOSPlatform("macos")]
    private static long? MacSoftLimit()
    {
        const int RlimitNofile = 8; // sys/resource.h on macOS (7 on Linux)
        const ulong Infinity = long.MaxValue; // RLIM_INFINITY on macOS: (1 << 63) - 1
        return GetResourceLimit(RlimitNofile, out ResourceLimit limit) == 0 && limit.Soft < Infinity ? (long)limit.Soft : null;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetResourceLimit(int resource, out ResourceLimit limit);

    // struct rlimit: two rlim_t, 64-bit on macOS.
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Soft;
        public ulong Hard;
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

using Marcel.Core;
using Marcel.Core.Security;

namespace Marcel.Tests.Platform;

/// <summary>Marcel's own folder is in each system's place for it.</summary>
public class ConfigFolderTests
{
    private static string Known(Environment.SpecialFolder folder) => folder switch
    {
        Environment.SpecialFolder.ApplicationData => "/roaming-or-xdg-config",
        Environment.SpecialFolder.LocalApplicationData => "/library-application-support",
        _ => throw new ArgumentOutOfRangeException(nameof(folder), folder, "not a folder the choice should ask for"),
    };

    [Theory]
    [InlineData(OsKind.Linux, "/roaming-or-xdg-config")]
    [InlineData(OsKind.OtherUnix, "/roaming-or-xdg-config")]
    [InlineData(OsKind.Windows, "/roaming-or-xdg-config")]
    [InlineData(OsKind.MacOS, "/library-application-support")]
    public void Each_system_keeps_it_in_its_own_known_folder(OsKind os, string parent)
    {
        Assert.Equal(Path.Combine(parent, "marcel"), ConfigFolder.For(os, Known));
    }

    [Fact]
    public void On_Linux_it_is_under_XDG_CONFIG_HOME_or_dot_config()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Linux's folders.");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        string expected = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "marcel")
            : Path.Combine(xdg, "marcel");
        Assert.Equal(expected, ConfigFolder.Default);
        Assert.Equal(ConfigFolder.Default, ServerCertificate.DefaultFolder);
    }
}

namespace Marcel.Core.Security;

/// <summary>
/// Where Marcel keeps its own files (the self-signed server certificate), in each system's place for them:
/// <c>$XDG_CONFIG_HOME/marcel</c> (by default <c>~/.config/marcel</c>) on Linux and other Unix systems,
/// <c>~/Library/Application Support/marcel</c> on macOS, <c>%APPDATA%\marcel</c> on Windows.
/// </summary>
public static class ConfigFolder
{
    /// <summary>The folder's own name inside the system's folder.</summary>
    public const string Name = "marcel";

    /// <summary>The folder for this process's system and user.</summary>
    public static string Default =>
        For(ThisSystem.Kind, folder => Environment.GetFolderPath(folder, Environment.SpecialFolderOption.DoNotVerify));

    /// <summary>
    /// The choice itself, apart from this machine: which of the system's known folders holds ours, resolved by
    /// <paramref name="resolve"/> (<see cref="Environment.GetFolderPath(Environment.SpecialFolder)"/> in real use).
    /// Windows: the roaming application data (<c>%APPDATA%</c>). macOS: <see cref="Environment.SpecialFolder.LocalApplicationData"/>,
    /// which .NET maps to <c>~/Library/Application Support</c> there (its <c>ApplicationData</c> would be the Linux-style
    /// <c>~/.config</c>). Linux and the rest: <see cref="Environment.SpecialFolder.ApplicationData"/>, .NET's name for
    /// <c>$XDG_CONFIG_HOME</c> or <c>~/.config</c>.
    /// </summary>
    public static string For(OsKind os, Func<Environment.SpecialFolder, string> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        Environment.SpecialFolder known = os == OsKind.MacOS ? Environment.SpecialFolder.LocalApplicationData : Environment.SpecialFolder.ApplicationData;
        return Path.Combine(resolve(known), Name);
    }
}

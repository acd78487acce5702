using System.Globalization;

namespace Marcel.Cli;

/// <summary>Chooses the language of every message: <c>--lang</c> first, then the culture from LANG/LC_ALL.</summary>
internal static class Language
{
    public static readonly string[] Supported = ["en", "fr"];

    /// <summary>
    /// Applies <c>--lang</c> before the command tree is built, so that help text is translated too.
    /// Returns the unknown value when <c>--lang</c> names a language we do not speak.
    /// </summary>
    public static string? Apply(IReadOnlyList<string> args)
    {
        string? requested = Find(args);
        if (requested is null)
        {
            Use(CultureInfo.CurrentUICulture);
            return null;
        }

        if (!Supported.Contains(requested, StringComparer.OrdinalIgnoreCase))
        {
            return requested;
        }

        Use(CultureInfo.GetCultureInfo(requested.ToLowerInvariant()));
        return null;
    }

    private static string? Find(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                break;
            }

            if (args[i] == "--lang" && i + 1 < args.Count)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith("--lang=", StringComparison.Ordinal))
            {
                return args[i]["--lang=".Length..];
            }
        }

        return null;
    }

    private static void Use(CultureInfo culture)
    {
        // Default* too: the host's connection tasks and the console reader thread must speak the same language.
        CultureInfo.CurrentUICulture = culture;
        CultureInfo.DefaultThreadCurrentUICulture = culture;
    }
}

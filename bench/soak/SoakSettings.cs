using System.Globalization;

namespace Marcel.Soak;

/// <summary>What one soak run does; every value is a command-line option (<c>--name value</c>).</summary>
internal sealed record SoakSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);
    public int Clients { get; init; } = 200;
    public double Rate { get; init; } = 0.5;
    public int Resetters { get; init; } = 10;
    public int SlowReaders { get; init; } = 5;
    public int Garbage { get; init; } = 5;
    public TimeSpan Sample { get; init; } = TimeSpan.FromSeconds(10);
    public string Server { get; init; } = "marcel";
    public string Marcel { get; init; } = "out/marcel/marcel.dll";

    public static SoakSettings Parse(string[] args)
    {
        var settings = new SoakSettings();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            settings = args[i] switch
            {
                "--duration" => settings with { Duration = TimeSpan.FromSeconds(Number(value)) },
                "--clients" => settings with { Clients = (int)Number(value) },
                "--rate" => settings with { Rate = Number(value) },
                "--resetters" => settings with { Resetters = (int)Number(value) },
                "--slow" => settings with { SlowReaders = (int)Number(value) },
                "--garbage" => settings with { Garbage = (int)Number(value) },
                "--sample" => settings with { Sample = TimeSpan.FromSeconds(Number(value)) },
                "--server" => settings with { Server = value },
                "--marcel" => settings with { Marcel = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return settings;
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}

using System.Text.Json.Serialization;
using Marcel.Core.Discovery;

namespace Marcel.Cli.Commands;

/// <summary>One server in <c>marcel browse --json</c>.</summary>
internal sealed record BrowsedServer(
    string Name, string Type, string Host, int Port, string[] Addresses, string? Mode, bool Tls, string? Fingerprint, int? WebPort, string[] Txt)
{
    public static BrowsedServer From(ServiceInstance s) => new(
        s.Name, s.ServiceType, s.HostName, s.Port, s.Addresses.Select(a => a.ToString()).ToArray(), s.Mode, s.Tls, s.Fingerprint, s.WebPort, s.Txt.ToArray());
}

/// <summary>Source-generated JSON for <see cref="BrowsedServer"/> (no reflection, NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(BrowsedServer[]))]
internal sealed partial class BrowseJson : JsonSerializerContext;

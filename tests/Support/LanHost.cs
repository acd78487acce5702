using System.Net;

namespace Marcel.Tests.Support;

/// <summary>One host of a <see cref="LocalLan"/>: a network namespace with one interface, <c>eth0</c>.</summary>
internal sealed class LanHost(string ns, IPAddress address)
{
    /// <summary>The namespace's name.</summary>
    public string Namespace { get; } = ns;

    /// <summary>The host's address on the LAN.</summary>
    public IPAddress Address { get; } = address;

    /// <summary>Starts <paramref name="program"/> inside the host.</summary>
    public PeerProcess Start(string program, params string[] arguments) =>
        PeerProcess.Start("ip", ["netns", "exec", Namespace, program, .. arguments]);

    /// <summary>Starts the real <c>marcel</c> inside the host.</summary>
    public PeerProcess Marcel(params string[] arguments) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "marcel.dll"), .. arguments]);

    /// <summary>Starts the real <c>marcel</c> inside the host with <c>XDG_CONFIG_HOME</c> set (where <c>--tls</c> keeps its certificate).</summary>
    public PeerProcess MarcelWithConfig(string configFolder, params string[] arguments) =>
        Start("env", ["XDG_CONFIG_HOME=" + configFolder, "dotnet", Path.Combine(AppContext.BaseDirectory, "marcel.dll"), .. arguments]);
}

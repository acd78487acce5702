using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Marcel.Cli;

/// <summary>
/// <c>marcel --version</c>: the build's version (project version + <c>git describe</c>, see GitVersion.targets) on
/// the first line, then the runtime that runs it, so a bug report says both in one paste.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    /// <summary>The version of this build, e.g. <c>0.1.0+1d781d0-dirty</c>.</summary>
    public static string Version =>
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionAction).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The runtime, e.g. <c>.NET 10.0.12 (NativeAOT, linux-x64)</c>.</summary>
    public static string Runtime
    {
        get
        {
            // Nothing JIT-compiled by now means the NativeAOT binary. (RuntimeFeature.IsDynamicCodeSupported cannot
            // tell: PublishAot switches it off in the framework-dependent build's runtimeconfig too.)
            string mode = JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "NativeAOT";
            return $"{RuntimeInformation.FrameworkDescription} ({mode}, {RuntimeInformation.RuntimeIdentifier})";
        }
    }

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        output.WriteLine($"marcel {Version}");
        output.WriteLine(Runtime);
        return ExitCodes.Success;
    }
}

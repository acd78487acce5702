using Microsoft.Extensions.Hosting;

namespace Marcel.Web;

/// <summary>A host lifetime that listens to no signal: the command that owns the server handles Ctrl-C and SIGTERM.</summary>
internal sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

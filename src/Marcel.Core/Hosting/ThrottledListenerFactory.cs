using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Marcel.Core.Hosting;

/// <summary>
/// Wraps Kestrel's socket transport so that it never holds more than a fixed number of accepted sockets: past it the
/// accept loop waits and newcomers wait in the kernel's backlog. Kestrel's own connection limit is checked only after
/// a socket is accepted, so a burst of strangers could still exhaust file descriptors, and .NET aborts the whole
/// process when it cannot get one (it needs them to start threads).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim needs disposing only when its AvailableWaitHandle is used; it is not.")]
internal sealed class ThrottledListenerFactory(IConnectionListenerFactory inner, int maxSockets) : IConnectionListenerFactory
{
    private readonly SemaphoreSlim _slots = new(maxSockets, maxSockets);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new Listener(await inner.BindAsync(endpoint, cancellationToken), _slots);

    private sealed class Listener(IConnectionListener inner, SemaphoreSlim slots) : IConnectionListener
    {
        private readonly CancellationTokenSource _unbinding = new();

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbinding.Token);
            try
            {
                await slots.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException) when (_unbinding.IsCancellationRequested)
            {
                return null; // Unbound while waiting for a free slot: the accept loop ends.
            }

            ConnectionContext? accepted;
            try
            {
                accepted = await inner.AcceptAsync(cancellationToken);
            }
            catch
            {
                slots.Release();
                throw;
            }

            if (accepted is null)
            {
                slots.Release();
                return null;
            }

            return new SlotConnection(accepted, slots);
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            await _unbinding.CancelAsync();
            await inner.UnbindAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            _unbinding.Dispose();
            await inner.DisposeAsync();
        }
    }

    /// <summary>An accepted connection that gives its slot back once its socket is disposed.</summary>
    private sealed class SlotConnection(ConnectionContext inner, SemaphoreSlim slots) : ConnectionContext
    {
        private int _released;

        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }

        public override IFeatureCollection Features => inner.Features;

        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }

        public override IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }

        public override CancellationToken ConnectionClosed { get => inner.ConnectionClosed; set => inner.ConnectionClosed = value; }

        public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }

        public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync();
            }
            finally
            {
                if (Interlocked.Exchange(ref _released, 1) == 0)
                {
                    slots.Release();
                }

                await base.DisposeAsync();
            }
        }
    }
}

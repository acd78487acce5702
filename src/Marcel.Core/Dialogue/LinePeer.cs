using System.Net;
using Marcel.Core.Framing;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>A TCP client of the dialogue: its connection seen as lines, and the end of its turn.</summary>
/// <remarks><paramref name="closed"/> runs once the connection is closed, before the operator is told the conversation ended.</remarks>
internal sealed class LinePeer(IServerConnection connection, LineOptions options, ILogger logger, TimeProvider time, Action? closed = null) : IConversationPeer
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LineConnection _line = new(connection.Transport, options, connection.RemoteEndPoint, time);

    public string Id => connection.ConnectionId;

    public EndPoint? RemoteEndPoint => connection.RemoteEndPoint;

    public ConversationEnd EndOfStreamReason => ConversationEnd.ClientHungUp;

    public int? MaxMessageBytes => null;

    /// <summary>Completes when the client's turn is over (or it was dropped while waiting).</summary>
    public Task Finished => _finished.Task;

    public void Finish() => _finished.TrySetResult();

    public async ValueTask<LineReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        LineReadResult read = await _line.ReadAsync(cancellationToken);
        if (read.Kind == LineReadKind.EndOfStream && _line.WasReset)
        {
            TransportLog.ConnectionReset(logger, Id);
        }

        return read;
    }

    public ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken = default) => _line.SendAsync(text, cancellationToken);

    public async ValueTask CloseAsync(string lastWords, bool drainInput)
    {
        await _line.SendAsync(lastWords, CancellationToken.None);
        if (drainInput)
        {
            await _line.DiscardInputAsync(TimeSpan.FromSeconds(1));
        }

        await _line.CompleteAsync();
        closed?.Invoke();
    }

    public void Abort() => connection.Abort();
}

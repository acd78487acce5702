using Marcel.Core.Chat.Room;
using Marcel.Web.Room;
using Microsoft.Extensions.Logging;

namespace Marcel.Web;

/// <summary>Serves a <see cref="ChatRoom"/> to browsers: its page and its WebSocket, whose members join that same room.</summary>
public static class WebRoom
{
    /// <summary>
    /// Starts the page and the socket for <paramref name="room"/> (which must be started); every socket becomes a
    /// member of it, beside its TCP members. Throws <see cref="Core.Hosting.ServerBindException"/> when it cannot listen.
    /// </summary>
    public static Task<WebRoomHost> StartAsync(ChatRoom room, WebRoomOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var format = new WebSocketWireFormat();
        ILogger logger = loggerFactory.CreateLogger(typeof(WebRoom).FullName!);
        int maxMessageBytes = Math.Min(options.MaxMessageBytes, room.Options.Lines.MaxLineBytes);
        return WebRoomHost.StartAsync(
            options,
            (socket, peer) => WebSocketMember.ServeAsync(room, format, socket, peer, maxMessageBytes, logger),
            loggerFactory,
            room.Admits,
            cancellationToken);
    }
}

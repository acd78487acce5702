using Marcel.Core.Framing;
using Marcel.Core.Transport;

namespace Marcel.Core.Dialogue;

/// <summary>
/// The chapter's client: shows what the server says, sends what the user types, and stops when the server
/// says <c>FIN</c>, sends an empty message, or closes. Both directions run at once, so nothing waits for a turn.
/// </summary>
public static class DialogueClient
{
    /// <summary>Holds the conversation on <paramref name="connection"/> until it ends; returns why.</summary>
    public static async Task<ClientEnd> RunAsync(
        IMessagePeer connection,
        IDialogueUser user,
        ClientOptions options,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;

        using var typing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<ClientEnd> listening = ListenAsync(connection, user, cancellationToken);
        Task sending = SendTypedLinesAsync(connection, user, typing.Token);

        if (await Task.WhenAny(listening, sending) == sending)
        {
            await sending; // Surfaces a cancellation by the caller.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task timeout = Task.Delay(options.WaitAfterInput, time, wait.Token);
            if (await Task.WhenAny(listening, timeout) != listening)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return ClientEnd.InputEnded;
            }

            await wait.CancelAsync();
        }

        await typing.CancelAsync();
        try
        {
            await sending;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // We stopped the typing loop ourselves: the server ended the conversation.
        }

        return await listening;
    }

    private static async Task<ClientEnd> ListenAsync(IMessagePeer connection, IDialogueUser user, CancellationToken cancellationToken)
    {
        while (true)
        {
            LineReadResult read = await connection.ReadAsync(cancellationToken);
            switch (read.Kind)
            {
                case LineReadKind.EndOfStream:
                    return ClientEnd.ServerClosed;
                case LineReadKind.TooLong:
                    return ClientEnd.ServerTooLong;
            }

            // As in the chapter, the farewell itself is not shown.
            if (Farewell.IsFarewell(read.Text))
            {
                return ClientEnd.ServerFarewell;
            }

            user.ServerMessage(read.Text);
        }
    }

    private static async Task SendTypedLinesAsync(IMessagePeer connection, IDialogueUser user, CancellationToken cancellationToken)
    {
        while (await user.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!await connection.SendAsync(line, cancellationToken))
            {
                return;
            }

            if (Farewell.IsFarewell(line) && line.Length > 0)
            {
                return; // FIN said: what remains is the server's goodbye.
            }
        }
    }
}

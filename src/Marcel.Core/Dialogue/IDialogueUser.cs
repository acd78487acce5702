namespace Marcel.Core.Dialogue;

/// <summary>The person (or script) behind <c>marcel connect</c>: what the client shows them and what they type.</summary>
public interface IDialogueUser
{
    /// <summary>The server said <paramref name="message"/>.</summary>
    void ServerMessage(string message);

    /// <summary>The user's next line; <c>null</c> once their input is closed. Cancelling loses no typed line.</summary>
    ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken);
}

using System.Net;

namespace Marcel.Core.Chat;

/// <summary>
/// The room's operator console. Calls come from many connections at once and must return quickly: an
/// implementation that writes to a terminal should queue, and drop rather than block when it falls behind.
/// </summary>
public interface IChatOperator
{
    /// <summary>The room listens on <paramref name="endpoints"/>.</summary>
    void Listening(IReadOnlyList<IPEndPoint> endpoints);

    /// <summary>A member said lines to the room (one batch: see <see cref="Events.MemberSaid.Texts"/>).</summary>
    void Traffic(Events.MemberSaid said);

    /// <summary>Something happened that the operator should see (joins, leaves, refusals, answers to commands), already worded.</summary>
    void Happened(string text);

    /// <summary>The operator's next line, or null when the console input has ended.</summary>
    ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken);
}

using Microsoft.Extensions.Logging;

namespace Marcel.Avahi;

/// <summary>Log messages of DNS-SD through Avahi, with fixed event ids (720-739).</summary>
internal static partial class AvahiLog
{
    [LoggerMessage(720, LogLevel.Debug, "No Avahi on the system bus ({Address}): {Reason}")]
    public static partial void Absent(ILogger logger, string address, string reason);

    [LoggerMessage(721, LogLevel.Information, "Registered '{Name}' ({Type}, port {Port}) with Avahi {Version}")]
    public static partial void Registered(ILogger logger, string name, string type, int port, string version);

    [LoggerMessage(722, LogLevel.Information, "Avahi reports the name '{Name}' taken on the network; trying '{Next}'")]
    public static partial void Collision(ILogger logger, string name, string next);

    [LoggerMessage(723, LogLevel.Information, "Withdrew '{Name}' from Avahi (it sends the goodbye)")]
    public static partial void Withdrawn(ILogger logger, string name);

    [LoggerMessage(724, LogLevel.Debug, "Avahi could not resolve '{Name}' ({Type}): {Error}")]
    public static partial void ResolveFailed(ILogger logger, string name, string type, string error);

    [LoggerMessage(725, LogLevel.Warning, "Avahi failed the registration of '{Name}': {Error}")]
    public static partial void Failed(ILogger logger, string name, string error);

    [LoggerMessage(726, LogLevel.Debug, "Avahi's service browser failed: {Error}")]
    public static partial void BrowserFailed(ILogger logger, string error);
}

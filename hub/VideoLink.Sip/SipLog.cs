using System.Net;
using Microsoft.Extensions.Logging;

namespace VideoLink.Sip;

/// <summary>Source-generated log messages for the SIP stack; event ids are stable (1000–1999).</summary>
internal static partial class SipLog
{
    [LoggerMessage(1000, LogLevel.Information, "SIP listening on {Transport} {EndPoint}")]
    public static partial void Listening(ILogger logger, string transport, EndPoint endPoint);

    [LoggerMessage(1001, LogLevel.Debug, "Dropped {Bytes} bytes from {Transport} {Remote}: {Error} ({Detail})")]
    public static partial void Dropped(ILogger logger, int bytes, string transport, IPEndPoint remote, string error, string? detail);

    [LoggerMessage(1002, LogLevel.Warning, "Receive loop error on {Transport}")]
    public static partial void ReceiveLoopError(ILogger logger, string transport, Exception exception);

    [LoggerMessage(1003, LogLevel.Debug, "Send to {Transport} {Remote} failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, string transport, IPEndPoint remote, string reason);

    [LoggerMessage(1004, LogLevel.Warning, "Handling {Method} {CallId} failed")]
    public static partial void HandlerFailed(ILogger logger, string method, string callId, Exception exception);

    [LoggerMessage(1005, LogLevel.Debug, "Connection {ConnectionId} from {Remote} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId, IPEndPoint remote);

    [LoggerMessage(1010, LogLevel.Information, "{Aor} registered contact {Contact} for {Expires}s")]
    public static partial void Registered(ILogger logger, string aor, string contact, int expires);

    [LoggerMessage(1013, LogLevel.Debug, "{Aor} refreshed contact {Contact} for {Expires}s")]
    public static partial void Refreshed(ILogger logger, string aor, string contact, int expires);

    [LoggerMessage(1011, LogLevel.Information, "{Aor} is {State}")]
    public static partial void PresenceChanged(ILogger logger, string aor, string state);

    [LoggerMessage(1012, LogLevel.Warning, "Authentication for {User} from {Source} failed")]
    public static partial void AuthFailed(ILogger logger, string user, IPAddress source);

    [LoggerMessage(1013, LogLevel.Warning, "Source {Source} throttled after repeated failed authentication")]
    public static partial void Throttled(ILogger logger, IPAddress source);

    [LoggerMessage(1020, LogLevel.Information, "Call {CallId} from {From} to {To}: {Outcome}")]
    public static partial void CallOutcome(ILogger logger, string callId, string from, string to, string outcome);

    [LoggerMessage(1021, LogLevel.Information, "Call {CallId} ended: {Reason}")]
    public static partial void CallEnded(ILogger logger, string callId, string reason);
}

using Microsoft.Extensions.Logging;

namespace VideoLink.Hardware.Queue;

internal static partial class DevicePortLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Endpoint} connected")]
    public static partial void Connected(this ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Endpoint} could not connect; next try in {DelayMs} ms")]
    public static partial void ConnectFailed(this ILogger logger, string endpoint, double delayMs, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Endpoint} link lost")]
    public static partial void LinkLost(this ILogger logger, string endpoint, Exception? exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "{Endpoint} {Request} attempt {Attempt} timed out")]
    public static partial void AttemptTimedOut(this ILogger logger, string endpoint, string request, int attempt);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "{Endpoint} {Request} busy ({Reason}); retry in {DelayMs} ms")]
    public static partial void Busy(this ILogger logger, string endpoint, string request, string? reason, double delayMs);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "{Endpoint} {Request} ended {Status}: {Error}")]
    public static partial void RequestFailed(this ILogger logger, string endpoint, string request, DeviceResultStatus status, string? error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "{Endpoint} health {Health}: {Reason}")]
    public static partial void HealthChanged(this ILogger logger, string endpoint, DeviceHealth health, string? reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "{Endpoint} connect handshake failed")]
    public static partial void HandshakeFailed(this ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "{Endpoint} {Request}: {Reason}; re-opening the link to resynchronise")]
    public static partial void Resync(this ILogger logger, string endpoint, string request, string? reason);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error, Message = "{Endpoint} unsolicited-frame handler failed")]
    public static partial void HandlerFailed(this ILogger logger, string endpoint, Exception exception);
}

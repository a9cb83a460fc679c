using Microsoft.Extensions.Logging;

namespace VideoLink.Media.Audio;

internal static partial class ConferenceMixerLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Warning, Message = "Mixer: the {Event} handler threw for leg {LegId}")]
    public static partial void HandlerFailed(this ILogger logger, string @event, Guid legId, Exception exception);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Mixer clock: a tick threw")]
    public static partial void TickFailed(this ILogger logger, Exception exception);
}

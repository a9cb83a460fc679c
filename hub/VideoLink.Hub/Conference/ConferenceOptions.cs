using System.ComponentModel.DataAnnotations;

namespace VideoLink.Hub.Conference;

/// <summary>Conference engine settings (section <c>Conference</c>).</summary>
public sealed class ConferenceOptions
{
    public const string SectionName = "Conference";
    public const int DefaultRtpTimeoutSeconds = 20;
    public const int DefaultKeyFrameRetryMilliseconds = 500;
    public const int DefaultDialRingSeconds = 30;

    /// <summary><c>Mixer</c> (G.711 N−1 mix, the default) or <c>Selecting</c> (each leg hears the loudest other leg).</summary>
    [RegularExpression("^(Mixer|Selecting)$")]
    public string Audio { get; set; } = "Mixer";

    /// <summary>A SIP leg from which no RTP arrived for this long is removed (reason <c>timeout</c>).</summary>
    [Range(3, 25)]
    public int RtpTimeoutSeconds { get; set; } = DefaultRtpTimeoutSeconds;

    /// <summary>While a receiver waits for a new source's keyframe, the request is repeated this often.</summary>
    [Range(100, 5000)]
    public int KeyFrameRetryMilliseconds { get; set; } = DefaultKeyFrameRetryMilliseconds;

    /// <summary>How long a dialled site may ring.</summary>
    [Range(5, 120)]
    public int DialRingSeconds { get; set; } = DefaultDialRingSeconds;

    /// <summary>Voice activation: the new speaker must lead this long (ms) before the picture follows.</summary>
    [Range(100, 10_000)]
    public int SpeakerHoldMilliseconds { get; set; } = (int)ActiveSpeakerTracker.DefaultHoldMilliseconds;

    /// <summary>Voice activation: the picture stays at least this long (ms) on a speaker.</summary>
    [Range(0, 30_000)]
    public int SpeakerMinDwellMilliseconds { get; set; } = (int)ActiveSpeakerTracker.DefaultMinDwellMilliseconds;
}

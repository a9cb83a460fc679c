using System.ComponentModel.DataAnnotations;

namespace VideoLink.Hub.Consultations;

/// <summary>Consultation routing settings ("Consultations" section).</summary>
public sealed class ConsultationOptions
{
    public const string SectionName = "Consultations";
    public const int DefaultRingSeconds = 30;
    public const string DefaultTimeZone = "Asia/Shanghai";
    public const string DefaultDeskButtonCategory = "administrative";
    public const int DefaultTalkSeconds = 300;
    public const int DefaultSwipeWindowSeconds = 120;
    public const int DefaultRatingWindowMinutes = 30;

    /// <summary>How long one expert's offer rings before it passes to the next.</summary>
    [Range(1, 600)]
    public int RingSeconds { get; set; } = DefaultRingSeconds;

    /// <summary>The district's clock for duty rosters (IANA id).</summary>
    [Required]
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>Category raised by a desk call button whose device options name none.</summary>
    [Required]
    public string DeskButtonCategory { get; set; } = DefaultDeskButtonCategory;

    /// <summary>Talk time assumed for the estimated wait until a category has calls of its own.</summary>
    [Range(10, 7200)]
    public int DefaultTalkSecondsEstimate { get; set; } = DefaultTalkSeconds;

    /// <summary>A card swiped at the site this long before a desk-button request identifies the villager.</summary>
    [Range(0, 3600)]
    public int SwipeWindowSeconds { get; set; } = DefaultSwipeWindowSeconds;

    /// <summary>Desk satisfaction keys rate the site's last call if it ended at most this long ago.</summary>
    [Range(1, 1440)]
    public int RatingWindowMinutes { get; set; } = DefaultRatingWindowMinutes;

    /// <summary>Stations (site ids) whose consultations are recorded whatever the category says.</summary>
    public List<Guid> RecordingStations { get; set; } = [];

    /// <summary>How often queue positions are pushed to waiting kiosks (changes only).</summary>
    [Range(50, 10000)]
    public int PositionPushMilliseconds { get; set; } = 500;
}

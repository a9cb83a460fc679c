using System.ComponentModel.DataAnnotations;

namespace VideoLink.Hub.Bookings;

/// <summary>Scheduling of booked meetings. Bound from the "Bookings" configuration section.</summary>
public sealed class BookingOptions
{
    public const string SectionName = "Bookings";
    public const int DefaultWarningMinutes = 5;
    public const int DefaultReminderMinutes = 30;
    public const int DefaultRetrySeconds = 30;
    public const int DefaultMaxDialAttempts = 20;
    public const int DefaultMisfireThresholdSeconds = 60;
    public const int DefaultArmDays = 14;
    public const int DefaultGraceMinutes = 5;

    /// <summary>The "5 minutes left" warning, this long before the end.</summary>
    [Range(1, 120)]
    public int WarningMinutes { get; set; } = DefaultWarningMinutes;

    /// <summary>The booking's reminder notice goes out this long before the start.</summary>
    [Range(1, 10080)]
    public int ReminderMinutes { get; set; } = DefaultReminderMinutes;

    /// <summary>While a meeting runs, unconnected AutoConnect sites are dialled again this often.</summary>
    [Range(2, 3600)]
    public int RetrySeconds { get; set; } = DefaultRetrySeconds;

    /// <summary>Dial attempts per site per occurrence before the hub gives up (the chair can still dial).</summary>
    [Range(1, 1000)]
    public int MaxDialAttempts { get; set; } = DefaultMaxDialAttempts;

    /// <summary>Quartz misfire threshold: a trigger later than this (the hub was down) is handled by its misfire policy.</summary>
    [Range(1, 3600)]
    public int MisfireThresholdSeconds { get; set; } = DefaultMisfireThresholdSeconds;

    /// <summary>Occurrences are armed (Quartz triggers created) this many days ahead; a daily job rolls the window.</summary>
    [Range(1, 366)]
    public int ArmDays { get; set; } = DefaultArmDays;

    /// <summary>Joining later / leaving earlier than this counts as a late join / early leave.</summary>
    [Range(0, 120)]
    public int GraceMinutes { get; set; } = DefaultGraceMinutes;

    /// <summary>Quartz cluster node id; default AUTO (host name + time). Only used on PostgreSQL (clustered).</summary>
    [MaxLength(200)]
    public string? InstanceId { get; set; }
}

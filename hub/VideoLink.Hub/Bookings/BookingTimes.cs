using System.Globalization;
using System.Text.RegularExpressions;

namespace VideoLink.Hub.Bookings;

/// <summary>
/// Reads the times a client sends: either with an offset or <c>Z</c> (an instant), or without (wall-clock time in the
/// booking's zone — "09:00 Asia/Shanghai" stays 09:00 whatever the server's own zone is).
/// </summary>
public static partial class BookingTimes
{
    public static bool TryParse(string? text, TimeZoneInfo zone, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return false;
        }

        if (HasOffset().IsMatch(text))
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                return false;
            }

            utc = instant.UtcDateTime;
            return true;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return false;
        }

        utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
        return true;
    }

    /// <summary>An occurrence id in a URL: its original start as an instant (<c>2026-12-07T01:00:00Z</c>) or UTC ticks.</summary>
    public static bool TryParseOccurrence(string? text, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 && ticks < DateTime.MaxValue.Ticks)
        {
            utc = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }

        if (!HasOffset().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return false;
        }

        utc = instant.UtcDateTime;
        return true;
    }

    public static string Format(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex HasOffset();
}

using System.Globalization;
using System.Text;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Bookings;

/// <summary>
/// A booking as an iCalendar object (RFC 5545): one VEVENT with the series' RRULE, EXDATE for cancelled occurrences
/// and one VEVENT with RECURRENCE-ID per moved occurrence. Times are written in UTC (§3.3.5 form 2), the booking's
/// zone is named in X-WR-TIMEZONE; lines are CRLF-terminated and folded at 75 octets (§3.1).
/// </summary>
public static class ICalendarWriter
{
    public const string ContentType = "text/calendar; charset=utf-8";

    public static string Write(Booking booking, IEnumerable<string> siteNames, string hostName)
    {
        var sb = new StringBuilder();
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "VERSION:2.0");
        Line(sb, "PRODID:-//VideoLink//Bookings//ZH");
        Line(sb, "CALSCALE:GREGORIAN");
        Line(sb, booking.CancelledUtc is null ? "METHOD:PUBLISH" : "METHOD:CANCEL");
        Line(sb, "X-WR-TIMEZONE:" + Text(booking.TimeZone));
        var uid = $"{booking.Id:D}@{hostName}";
        var location = string.Join(", ", siteNames);
        Event(sb, booking, uid, booking.StartUtc, booking.EndUtc, location, recurrenceId: null);
        foreach (var change in booking.Changes.Where(c => !c.Cancelled).OrderBy(c => c.OriginalStartUtc))
        {
            var duration = booking.EndUtc - booking.StartUtc;
            Event(sb, booking, uid, change.StartUtc ?? change.OriginalStartUtc, change.EndUtc ?? change.OriginalStartUtc + duration, location, change.OriginalStartUtc);
        }

        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    private static void Event(StringBuilder sb, Booking booking, string uid, DateTime start, DateTime end, string location, DateTime? recurrenceId)
    {
        Line(sb, "BEGIN:VEVENT");
        Line(sb, "UID:" + uid);
        Line(sb, "DTSTAMP:" + Utc(booking.CreatedUtc));
        Line(sb, "SEQUENCE:" + booking.Sequence.ToString(CultureInfo.InvariantCulture));
        Line(sb, "DTSTART:" + Utc(start));
        Line(sb, "DTEND:" + Utc(end));
        Line(sb, "SUMMARY:" + Text(booking.Title));
        if (location.Length > 0)
        {
            Line(sb, "LOCATION:" + Text(location));
        }

        Line(sb, "STATUS:" + (booking.CancelledUtc is null ? "CONFIRMED" : "CANCELLED"));
        if (recurrenceId is { } rid)
        {
            Line(sb, "RECURRENCE-ID:" + Utc(rid));
        }
        else if (!string.IsNullOrWhiteSpace(booking.Recurrence))
        {
            Line(sb, "RRULE:" + RuleInUtc(booking));
            foreach (var cancelled in booking.Changes.Where(c => c.Cancelled).OrderBy(c => c.OriginalStartUtc))
            {
                Line(sb, "EXDATE:" + Utc(cancelled.OriginalStartUtc));
            }
        }

        Line(sb, "X-VIDEOLINK-LAUNCH-MODE:" + booking.LaunchMode);
        Line(sb, "END:VEVENT");
    }

    /// <summary>RFC 5545 §3.3.10: with a UTC DTSTART, UNTIL must be UTC too; a local UNTIL is rewritten as the last start.</summary>
    private static string RuleInUtc(Booking booking)
    {
        var rule = booking.Recurrence!.Trim();
        if (rule.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
        {
            rule = rule[6..];
        }

        var parts = rule.Split(';').ToList();
        var until = parts.FindIndex(p => p.StartsWith("UNTIL=", StringComparison.OrdinalIgnoreCase));
        if (until >= 0 && !parts[until].EndsWith('Z') && booking.SeriesEndUtc is { } end)
        {
            parts[until] = "UNTIL=" + Utc(end - (booking.EndUtc - booking.StartUtc));
        }

        return string.Join(';', parts).ToUpperInvariant();
    }

    private static string Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>TEXT escaping (§3.3.11).</summary>
    private static string Text(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Folds at 75 octets without splitting a UTF-8 sequence (§3.1).</summary>
    private static void Line(StringBuilder sb, string line)
    {
        var octets = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                sb.Append("\r\n ");
                octets = 1;
                limit = 75;
            }

            sb.Append(rune.ToString());
            octets += size;
        }

        sb.Append("\r\n");
    }
}

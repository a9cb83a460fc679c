using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Bookings;

/// <summary>One occurrence of a booking. <see cref="OriginalStartUtc"/> identifies it (RFC 5545 RECURRENCE-ID) even when moved.</summary>
public sealed record Occurrence(Guid BookingId, DateTime OriginalStartUtc, DateTime StartUtc, DateTime EndUtc, bool Moved)
{
    public bool Overlaps(DateTime startUtc, DateTime endUtc) => StartUtc < endUtc && startUtc < EndUtc;
}

/// <summary>A site already booked in a slot the new or changed booking wants.</summary>
public sealed record BookingConflict(Guid SiteId, Guid BookingId, string? Title, DateTime StartUtc, DateTime EndUtc, DateTime RequestedStartUtc);

/// <summary>Expands bookings into occurrences (recurrence + per-occurrence changes) and finds site conflicts. Pure.</summary>
public static class BookingCalendar
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    /// <summary>How far a single occurrence may be moved; originals this far outside a window are still considered.</summary>
    public static readonly TimeSpan MaxMove = TimeSpan.FromDays(31);

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(id) ? DefaultTimeZone : id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    /// <summary>The original (unchanged) occurrence starts of a series in UTC, up to <paramref name="untilUtc"/>.</summary>
    public static IEnumerable<DateTime> OriginalStarts(DateTime firstStartUtc, string timeZone, RecurrenceRule? rule, DateTime untilUtc)
    {
        if (!TryFindZone(timeZone, out var zone))
        {
            throw new InvalidOperationException($"Unknown time zone {timeZone}.");
        }

        if (rule is null)
        {
            if (firstStartUtc <= untilUtc)
            {
                yield return firstStartUtc;
            }

            yield break;
        }

        var firstLocal = TimeZoneInfo.ConvertTimeFromUtc(firstStartUtc, zone);
        var stopLocal = untilUtc >= DateTime.MaxValue.AddDays(-2) ? DateTime.MaxValue.AddDays(-2) : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(untilUtc, DateTimeKind.Utc), zone);
        foreach (var local in rule.ExpandLocal(firstLocal, zone, stopLocal))
        {
            yield return DateTime.SpecifyKind(RecurrenceRule.ToUtc(local, zone), DateTimeKind.Utc);
        }
    }

    /// <summary>Occurrences of <paramref name="booking"/> overlapping [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), changes applied, cancelled ones left out.</summary>
    public static List<Occurrence> Occurrences(Booking booking, DateTime fromUtc, DateTime toUtc)
    {
        var rule = Rule(booking.Recurrence);
        var duration = booking.EndUtc - booking.StartUtc;
        var changes = booking.Changes.ToDictionary(c => c.OriginalStartUtc);
        var list = new List<Occurrence>();
        var lower = fromUtc - duration - MaxMove;
        var upper = toUtc >= DateTime.MaxValue - MaxMove ? DateTime.MaxValue : toUtc + MaxMove;
        foreach (var original in OriginalStarts(booking.StartUtc, booking.TimeZone, rule, upper))
        {
            if (original < lower)
            {
                continue;
            }

            var occurrence = new Occurrence(booking.Id, original, original, original + duration, false);
            if (changes.TryGetValue(original, out var change))
            {
                if (change.Cancelled)
                {
                    continue;
                }

                occurrence = occurrence with { StartUtc = change.StartUtc ?? original, EndUtc = change.EndUtc ?? original + duration, Moved = true };
            }

            if (occurrence.Overlaps(fromUtc, toUtc))
            {
                list.Add(occurrence);
            }
        }

        list.Sort((a, b) => a.StartUtc.CompareTo(b.StartUtc));
        return list;
    }

    /// <summary>The one occurrence whose original start is <paramref name="originalStartUtc"/>, or null when there is none.</summary>
    public static Occurrence? Find(Booking booking, DateTime originalStartUtc) =>
        Occurrences(booking, originalStartUtc - BookingSpan(booking) - MaxMove, originalStartUtc + MaxMove + BookingSpan(booking))
            .FirstOrDefault(o => o.OriginalStartUtc == originalStartUtc);

    /// <summary>Whether <paramref name="originalStartUtc"/> is an occurrence of the series at all (cancelled ones included).</summary>
    public static bool IsOriginalStart(Booking booking, DateTime originalStartUtc) =>
        OriginalStarts(booking.StartUtc, booking.TimeZone, Rule(booking.Recurrence), originalStartUtc).Contains(originalStartUtc);

    /// <summary>End of the last occurrence for a bounded series; null for an open one.</summary>
    public static DateTime? SeriesEnd(DateTime firstStartUtc, DateTime firstEndUtc, string timeZone, RecurrenceRule? rule)
    {
        if (rule is null)
        {
            return firstEndUtc;
        }

        if (!rule.IsBounded)
        {
            return null;
        }

        var last = OriginalStarts(firstStartUtc, timeZone, rule, DateTime.MaxValue).Last();
        return last + (firstEndUtc - firstStartUtc);
    }

    /// <summary>
    /// Conflicts between the <paramref name="proposed"/> occurrences at <paramref name="siteIds"/> and the occurrences of
    /// <paramref name="others"/> (bookings that share a site). Touching slots (one ends as the next starts) do not conflict.
    /// </summary>
    public static List<BookingConflict> Conflicts(IReadOnlyList<Occurrence> proposed, IReadOnlyCollection<Guid> siteIds, IEnumerable<(Booking Booking, bool Visible)> others)
    {
        var conflicts = new List<BookingConflict>();
        if (proposed.Count == 0)
        {
            return conflicts;
        }

        var from = proposed.Min(o => o.StartUtc);
        var to = proposed.Max(o => o.EndUtc);
        foreach (var (other, visible) in others)
        {
            var shared = other.Sites.Select(s => s.SiteId).Where(siteIds.Contains).ToList();
            if (shared.Count == 0)
            {
                continue;
            }

            var theirs = Occurrences(other, from, to);
            foreach (var mine in proposed)
            {
                foreach (var t in theirs.Where(t => t.Overlaps(mine.StartUtc, mine.EndUtc)))
                {
                    conflicts.AddRange(shared.Select(site => new BookingConflict(site, other.Id, visible ? other.Title : null, t.StartUtc, t.EndUtc, mine.StartUtc)));
                }
            }
        }

        return conflicts;
    }

    public static RecurrenceRule? Rule(string? recurrence) =>
        string.IsNullOrWhiteSpace(recurrence) ? null
        : RecurrenceRule.TryParse(recurrence, out var rule, out var error) ? rule
        : throw new InvalidOperationException($"Stored recurrence is invalid: {error}");

    private static TimeSpan BookingSpan(Booking booking) => booking.EndUtc - booking.StartUtc;
}

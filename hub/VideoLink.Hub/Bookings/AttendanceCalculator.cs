using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Bookings;

/// <summary>A half-open time interval [Start, End) in UTC.</summary>
public readonly record struct TimeInterval(DateTime Start, DateTime End)
{
    public TimeSpan Length => End > Start ? End - Start : TimeSpan.Zero;
}

/// <summary>A site's attendance of one occurrence.</summary>
public sealed record SiteAttendance(
    Guid SiteId,
    IReadOnlyList<TimeInterval> Connected,
    double ConnectedSeconds,
    DateTime? FirstJoinUtc,
    DateTime? LastLeaveUtc,
    bool Late,
    bool LeftEarly,
    bool Absent)
{
    public double Minutes => Math.Round(ConnectedSeconds / 60.0, 2);
}

/// <summary>One person's presence at a site during one occurrence.</summary>
public sealed record PersonAttendance(string PersonKey, Guid SiteId, IReadOnlyList<TimeInterval> Present, double PresentSeconds, DateTime? FirstCheckInUtc, bool Late)
{
    public double Minutes => Math.Round(PresentSeconds / 60.0, 2);
}

/// <summary>A check-in event as attendance reads it.</summary>
public readonly record struct CheckInEvent(string PersonKey, Guid SiteId, CheckInMethod Method, DateTime TimeUtc);

/// <summary>
/// Attendance arithmetic (no I/O): a site's connected time is the union of its leg intervals clipped to the meeting;
/// a person's time is (their presence at the site, from check-in to sign-out) ∩ (the site's connected time).
/// Reconnects are separate intervals in storage and merged here.
/// </summary>
public static class AttendanceCalculator
{
    /// <summary>Joining later than this after the start is a late join; leaving earlier than this before the end is an early leave.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(5);

    /// <summary>Sorts, clips to <paramref name="window"/> and merges overlapping or touching intervals.</summary>
    public static List<TimeInterval> MergeWithin(IEnumerable<TimeInterval> intervals, TimeInterval window)
    {
        var clipped = intervals
            .Select(i => new TimeInterval(i.Start < window.Start ? window.Start : i.Start, i.End > window.End ? window.End : i.End))
            .Where(i => i.End > i.Start)
            .OrderBy(i => i.Start)
            .ToList();
        var merged = new List<TimeInterval>();
        foreach (var i in clipped)
        {
            if (merged.Count > 0 && i.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = new TimeInterval(last.Start, i.End > last.End ? i.End : last.End);
            }
            else
            {
                merged.Add(i);
            }
        }

        return merged;
    }

    /// <summary>The intersection of two merged, sorted interval lists.</summary>
    public static List<TimeInterval> Intersect(IReadOnlyList<TimeInterval> a, IReadOnlyList<TimeInterval> b)
    {
        var result = new List<TimeInterval>();
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            var start = a[i].Start > b[j].Start ? a[i].Start : b[j].Start;
            var end = a[i].End < b[j].End ? a[i].End : b[j].End;
            if (end > start)
            {
                result.Add(new TimeInterval(start, end));
            }

            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result;
    }

    /// <summary>
    /// A site's attendance. An interval still open (<c>left</c> null) counts until <paramref name="nowUtc"/> (or the end).
    /// </summary>
    public static SiteAttendance ForSite(Guid siteId, IEnumerable<(DateTime Joined, DateTime? Left)> legs, TimeInterval meeting, DateTime nowUtc, TimeSpan? grace = null)
    {
        var g = grace ?? DefaultGrace;
        var merged = MergeWithin(legs.Select(l => new TimeInterval(l.Joined, l.Left ?? (nowUtc < meeting.End ? nowUtc : meeting.End))), meeting);
        if (merged.Count == 0)
        {
            return new SiteAttendance(siteId, merged, 0, null, null, false, false, true);
        }

        var first = merged[0].Start;
        var last = merged[^1].End;
        var ended = nowUtc >= meeting.End;
        return new SiteAttendance(
            siteId,
            merged,
            merged.Sum(i => i.Length.TotalSeconds),
            first,
            last,
            first > meeting.Start + g,
            ended && last < meeting.End - g,
            false);
    }

    /// <summary>
    /// Presence intervals per person at a site from their check-ins: a card/ID swipe or sign-in starts presence (a
    /// repeated swipe while present changes nothing), a sign-out ends it; no sign-out means present until the end.
    /// A sign-in before the meeting counts from the start. Check-ins after the end are ignored.
    /// </summary>
    public static List<TimeInterval> Presence(IEnumerable<CheckInEvent> events, TimeInterval meeting)
    {
        var intervals = new List<TimeInterval>();
        DateTime? since = null;
        foreach (var e in events.Where(e => e.TimeUtc < meeting.End).OrderBy(e => e.TimeUtc))
        {
            switch (e.Method)
            {
                case CheckInMethod.IdCard or CheckInMethod.IcCard or CheckInMethod.SignIn:
                    since ??= e.TimeUtc;
                    break;
                case CheckInMethod.SignOut when since is not null:
                    intervals.Add(new TimeInterval(since.Value, e.TimeUtc));
                    since = null;
                    break;
            }
        }

        if (since is not null)
        {
            intervals.Add(new TimeInterval(since.Value, meeting.End));
        }

        return MergeWithin(intervals, meeting);
    }

    /// <summary>Every person who checked in at one of the sites: presence ∩ that site's connected time.</summary>
    public static List<PersonAttendance> ForPeople(IEnumerable<CheckInEvent> events, IReadOnlyDictionary<Guid, SiteAttendance> sites, TimeInterval meeting, TimeSpan? grace = null)
    {
        var g = grace ?? DefaultGrace;
        var result = new List<PersonAttendance>();
        foreach (var group in events.Where(e => e.PersonKey.Length > 0).GroupBy(e => (e.PersonKey, e.SiteId)))
        {
            if (!sites.TryGetValue(group.Key.SiteId, out var site))
            {
                continue;
            }

            var presence = Presence(group, meeting);
            var present = Intersect(presence, site.Connected);
            var firstCheckIn = group.Where(e => e.Method is not CheckInMethod.SignOut).Select(e => (DateTime?)e.TimeUtc).Min();
            result.Add(new PersonAttendance(
                group.Key.PersonKey,
                group.Key.SiteId,
                present,
                present.Sum(i => i.Length.TotalSeconds),
                firstCheckIn,
                firstCheckIn is { } f && f > meeting.Start + g));
        }

        return result;
    }
}

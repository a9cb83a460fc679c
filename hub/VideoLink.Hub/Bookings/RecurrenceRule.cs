using System.Globalization;

namespace VideoLink.Hub.Bookings;

public enum RecurrenceFrequency
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>A BYDAY entry: a weekday, with an ordinal for MONTHLY rules (<c>1MO</c> first Monday, <c>-1FR</c> last Friday).</summary>
public readonly record struct WeekdayNum(DayOfWeek Day, int Ordinal);

/// <summary>
/// A bounded subset of the RFC 5545 §3.3.10 recurrence rule: FREQ (DAILY, WEEKLY, MONTHLY), INTERVAL, BYDAY, COUNT,
/// UNTIL (and WKST=MO, the only week start the expander uses). Anything else is refused by <see cref="TryParse"/> with a
/// reason, so a rule the hub cannot expand exactly is never half-honoured.
/// </summary>
public sealed class RecurrenceRule
{
    public const int MaxCount = 1000;
    public const int MaxInterval = 1000;

    /// <summary>Expansion never looks further than this past the first occurrence (an open series is cut here).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366 * 5);

    private static readonly Dictionary<string, DayOfWeek> Days = new(StringComparer.Ordinal)
    {
        ["MO"] = DayOfWeek.Monday,
        ["TU"] = DayOfWeek.Tuesday,
        ["WE"] = DayOfWeek.Wednesday,
        ["TH"] = DayOfWeek.Thursday,
        ["FR"] = DayOfWeek.Friday,
        ["SA"] = DayOfWeek.Saturday,
        ["SU"] = DayOfWeek.Sunday,
    };

    private RecurrenceRule(RecurrenceFrequency frequency, int interval, IReadOnlyList<WeekdayNum> byDay, int? count, DateTime? untilUtc, DateTime? untilLocal)
    {
        Frequency = frequency;
        Interval = interval;
        ByDay = byDay;
        Count = count;
        UntilUtc = untilUtc;
        UntilLocal = untilLocal;
    }

    public RecurrenceFrequency Frequency { get; }
    public int Interval { get; }
    public IReadOnlyList<WeekdayNum> ByDay { get; }
    public int? Count { get; }

    /// <summary>UNTIL given in UTC (<c>…Z</c>).</summary>
    public DateTime? UntilUtc { get; }

    /// <summary>UNTIL given as a date or a floating local time (in the booking's zone).</summary>
    public DateTime? UntilLocal { get; }

    public bool IsBounded => Count is not null || UntilUtc is not null || UntilLocal is not null;

    /// <summary>Parses <paramref name="text"/> (with or without the <c>RRULE:</c> prefix); on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out RecurrenceRule? rule, out string? error)
    {
        rule = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var body = text.Trim();
        if (body.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
        {
            body = body[6..];
        }

        RecurrenceFrequency? frequency = null;
        var interval = 1;
        var byDay = new List<WeekdayNum>();
        int? count = null;
        DateTime? untilUtc = null;
        DateTime? untilLocal = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in body.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                error = $"'{part}' is not NAME=VALUE";
                return false;
            }

            var name = part[..eq].ToUpperInvariant();
            var value = part[(eq + 1)..].ToUpperInvariant();
            if (!seen.Add(name))
            {
                error = $"{name} appears twice (RFC 5545 §3.3.10: each rule part at most once)";
                return false;
            }

            switch (name)
            {
                case "FREQ":
                    frequency = value switch
                    {
                        "DAILY" => RecurrenceFrequency.Daily,
                        "WEEKLY" => RecurrenceFrequency.Weekly,
                        "MONTHLY" => RecurrenceFrequency.Monthly,
                        _ => null,
                    };
                    if (frequency is null)
                    {
                        error = $"FREQ={value} is not supported (DAILY, WEEKLY or MONTHLY)";
                        return false;
                    }

                    break;
                case "INTERVAL":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval < 1 || interval > MaxInterval)
                    {
                        error = $"INTERVAL must be 1–{MaxInterval}";
                        return false;
                    }

                    break;
                case "COUNT":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c < 1 || c > MaxCount)
                    {
                        error = $"COUNT must be 1–{MaxCount}";
                        return false;
                    }

                    count = c;
                    break;
                case "UNTIL":
                    if (!TryParseUntil(value, out untilUtc, out untilLocal))
                    {
                        error = "UNTIL must be YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ";
                        return false;
                    }

                    break;
                case "BYDAY":
                    foreach (var item in value.Split(','))
                    {
                        if (!TryParseWeekday(item, out var day))
                        {
                            error = $"BYDAY entry '{item}' is not a weekday (MO…SU, optionally with an ordinal 1–5 or -1…-5)";
                            return false;
                        }

                        byDay.Add(day);
                    }

                    break;
                case "WKST":
                    if (value != "MO")
                    {
                        error = "only WKST=MO is supported";
                        return false;
                    }

                    break;
                default:
                    error = $"{name} is not supported (FREQ, INTERVAL, BYDAY, COUNT, UNTIL)";
                    return false;
            }
        }

        if (frequency is null)
        {
            error = "FREQ is required";
            return false;
        }

        if (count is not null && (untilUtc is not null || untilLocal is not null))
        {
            error = "COUNT and UNTIL must not both be given (RFC 5545 §3.3.10)";
            return false;
        }

        if (frequency != RecurrenceFrequency.Monthly && byDay.Any(d => d.Ordinal != 0))
        {
            error = "BYDAY ordinals (e.g. 1MO) are only allowed with FREQ=MONTHLY";
            return false;
        }

        rule = new RecurrenceRule(frequency.Value, interval, byDay.Distinct().ToList(), count, untilUtc, untilLocal);
        return true;
    }

    private static bool TryParseWeekday(string item, out WeekdayNum day)
    {
        day = default;
        if (item.Length < 2 || !Days.TryGetValue(item[^2..], out var dow))
        {
            return false;
        }

        var prefix = item[..^2];
        if (prefix.Length == 0)
        {
            day = new WeekdayNum(dow, 0);
            return true;
        }

        if (!int.TryParse(prefix, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ordinal) || ordinal == 0 || ordinal < -5 || ordinal > 5)
        {
            return false;
        }

        day = new WeekdayNum(dow, ordinal);
        return true;
    }

    private static bool TryParseUntil(string value, out DateTime? utc, out DateTime? local)
    {
        utc = null;
        local = null;
        if (value.Length == 8 && DateTime.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // A date-only UNTIL includes that whole day.
            local = date.AddDays(1).AddTicks(-1);
            return true;
        }

        if (value.Length == 16 && value.EndsWith('Z') && DateTime.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var u))
        {
            utc = DateTime.SpecifyKind(u, DateTimeKind.Utc);
            return true;
        }

        if (value.Length == 15 && DateTime.TryParseExact(value, "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var l))
        {
            local = l;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The occurrence starts in wall-clock time of the booking's zone, first one = <paramref name="firstLocal"/>
    /// (RFC 5545: DTSTART is always the first instance), in order, until COUNT, UNTIL, the horizon or
    /// <paramref name="stopAfterLocal"/> ends them.
    /// </summary>
    public IEnumerable<DateTime> ExpandLocal(DateTime firstLocal, TimeZoneInfo zone, DateTime stopAfterLocal)
    {
        var horizon = firstLocal + Horizon;
        var stop = stopAfterLocal < horizon ? stopAfterLocal : horizon;
        var produced = 0;
        foreach (var candidate in Candidates(firstLocal))
        {
            if (candidate > stop)
            {
                yield break;
            }

            if (UntilLocal is { } ul && candidate > ul)
            {
                yield break;
            }

            if (UntilUtc is { } uu && ToUtc(candidate, zone) > uu)
            {
                yield break;
            }

            yield return candidate;
            produced++;
            if (Count is { } c && produced >= c)
            {
                yield break;
            }
        }
    }

    /// <summary>Converts a wall-clock time to UTC; a time skipped by a DST jump is moved forward by the gap.</summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    private IEnumerable<DateTime> Candidates(DateTime first)
    {
        yield return first;
        var time = first.TimeOfDay;
        switch (Frequency)
        {
            case RecurrenceFrequency.Daily:
                for (var day = first.Date.AddDays(Interval); ; day = day.AddDays(Interval))
                {
                    if (ByDay.Count == 0 || ByDay.Any(d => d.Day == day.DayOfWeek))
                    {
                        yield return day + time;
                    }
                }

            case RecurrenceFrequency.Weekly:
                var weekStart = first.Date.AddDays(-(((int)first.DayOfWeek + 6) % 7));
                var days = ByDay.Count == 0 ? [first.DayOfWeek] : ByDay.Select(d => d.Day).ToList();
                var offsets = days.Select(d => ((int)d + 6) % 7).Distinct().Order().ToList();
                for (var week = weekStart; ; week = week.AddDays(7 * Interval))
                {
                    foreach (var offset in offsets)
                    {
                        var candidate = week.AddDays(offset) + time;
                        if (candidate > first)
                        {
                            yield return candidate;
                        }
                    }
                }

            case RecurrenceFrequency.Monthly:
                var month = new DateTime(first.Year, first.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
                for (var m = month; ; m = m.AddMonths(Interval))
                {
                    foreach (var day in DaysInMonth(m, first.Day))
                    {
                        var candidate = day + time;
                        if (candidate > first)
                        {
                            yield return candidate;
                        }
                    }
                }
        }
    }

    private List<DateTime> DaysInMonth(DateTime month, int dayOfMonth)
    {
        var length = DateTime.DaysInMonth(month.Year, month.Month);
        if (ByDay.Count == 0)
        {
            // RFC 5545 §3.3.10: a day that does not exist in a month (the 31st in April) is skipped, not moved.
            return dayOfMonth <= length ? [month.AddDays(dayOfMonth - 1)] : [];
        }

        var result = new SortedSet<DateTime>();
        foreach (var entry in ByDay)
        {
            var matching = Enumerable.Range(0, length).Select(i => month.AddDays(i)).Where(d => d.DayOfWeek == entry.Day).ToList();
            if (entry.Ordinal == 0)
            {
                result.UnionWith(matching);
            }
            else
            {
                var index = entry.Ordinal > 0 ? entry.Ordinal - 1 : matching.Count + entry.Ordinal;
                if (index >= 0 && index < matching.Count)
                {
                    result.Add(matching[index]);
                }
            }
        }

        return [.. result];
    }
}

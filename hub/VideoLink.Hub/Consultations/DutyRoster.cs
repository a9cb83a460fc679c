using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Consultations;

/// <summary>One weekly shift in the district's local time.</summary>
public readonly record struct Shift(DayOfWeek Day, TimeOnly Start, TimeOnly End);

/// <summary>Weekly duty rosters (值班表). An expert without a roster is on duty whenever they are available.</summary>
public static class DutyRoster
{
    public static bool IsOnDuty(IReadOnlyList<Shift> shifts, DateTime localNow)
    {
        if (shifts.Count == 0)
        {
            return true;
        }

        var time = TimeOnly.FromDateTime(localNow);
        foreach (var s in shifts)
        {
            // A shift ending before it starts runs past midnight into the next day.
            if (s.End > s.Start ? s.Day == localNow.DayOfWeek && time >= s.Start && time < s.End
                : (s.Day == localNow.DayOfWeek && time >= s.Start) || (NextDay(s.Day) == localNow.DayOfWeek && time < s.End))
            {
                return true;
            }
        }

        return false;
    }

    public static IReadOnlyList<Shift> From(IEnumerable<DutyShift> duty) => duty.Select(d => new Shift(d.Day, d.Start, d.End)).ToList();

    public static TimeZoneInfo ResolveZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Without tzdata the district's zone is still UTC+8 (China has no daylight saving).
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }

    private static DayOfWeek NextDay(DayOfWeek d) => (DayOfWeek)(((int)d + 1) % 7);
}

using VideoLink.Hub.Bookings;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>The RFC 5545 RRULE subset: parsing, refusal of what is not supported, expansion in the booking's zone.</summary>
public sealed class RecurrenceRuleTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static List<DateTime> Expand(string rule, DateTime firstLocal, TimeZoneInfo? zone = null, int take = 50)
    {
        Assert.True(RecurrenceRule.TryParse(rule, out var parsed, out var error), error);
        return parsed!.ExpandLocal(firstLocal, zone ?? Shanghai, firstLocal.AddYears(3)).Take(take).ToList();
    }

    [Fact]
    public void Weekly_OnMonday_WithCount_GivesThatManyMondays()
    {
        var monday = new DateTime(2026, 12, 7, 9, 0, 0);

        var starts = Expand("FREQ=WEEKLY;BYDAY=MO;COUNT=4", monday);

        Assert.Equal([monday, monday.AddDays(7), monday.AddDays(14), monday.AddDays(21)], starts);
    }

    [Fact]
    public void Weekly_TwoDays_EveryOtherWeek_InOrder()
    {
        var monday = new DateTime(2026, 12, 7, 9, 0, 0);

        var starts = Expand("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5", monday);

        Assert.Equal([monday, monday.AddDays(3), monday.AddDays(14), monday.AddDays(17), monday.AddDays(28)], starts);
    }

    [Fact]
    public void Daily_WithByDay_SkipsTheWeekend_AndUntilIsInclusive()
    {
        var friday = new DateTime(2026, 12, 11, 8, 30, 0);

        var starts = Expand("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261215", friday);

        Assert.Equal([friday, friday.AddDays(3), friday.AddDays(4)], starts);
    }

    [Fact]
    public void UntilInUtc_IsComparedAsAnInstant()
    {
        var first = new DateTime(2026, 12, 1, 9, 0, 0); // 01:00 UTC

        var starts = Expand("FREQ=DAILY;UNTIL=20261203T010000Z", first);
        var before = Expand("FREQ=DAILY;UNTIL=20261203T005959Z", first);

        Assert.Equal(3, starts.Count);
        Assert.Equal(2, before.Count);
    }

    [Fact]
    public void Monthly_On31st_SkipsShortMonths()
    {
        var first = new DateTime(2027, 1, 31, 10, 0, 0);

        var starts = Expand("FREQ=MONTHLY;COUNT=4", first);

        Assert.Equal([first, new(2027, 3, 31, 10, 0, 0), new(2027, 5, 31, 10, 0, 0), new(2027, 7, 31, 10, 0, 0)], starts);
    }

    [Fact]
    public void Monthly_FirstMondayAndLastFriday()
    {
        var first = new DateTime(2026, 12, 7, 9, 0, 0); // first Monday of December 2026

        var starts = Expand("FREQ=MONTHLY;BYDAY=1MO,-1FR;COUNT=4", first);

        Assert.Equal([first, new(2026, 12, 25, 9, 0, 0), new(2027, 1, 4, 9, 0, 0), new(2027, 1, 29, 9, 0, 0)], starts);
    }

    [Fact]
    public void WallClockTime_StaysFixedAcrossDaylightSaving_InZonesThatHaveIt()
    {
        var first = new DateTime(2027, 3, 12, 9, 0, 0); // Friday before the US switch (14 March 2027)

        var utc = Expand("FREQ=WEEKLY;COUNT=2", first, NewYork).Select(l => RecurrenceRule.ToUtc(l, NewYork)).ToList();

        Assert.Equal(14, utc[0].Hour); // EST, UTC-5
        Assert.Equal(13, utc[1].Hour); // EDT, UTC-4: still 09:00 on the wall
    }

    [Fact]
    public void OpenSeries_IsCutAtTheStopTime()
    {
        Assert.True(RecurrenceRule.TryParse("FREQ=DAILY", out var rule, out _));
        var first = new DateTime(2026, 12, 1, 9, 0, 0);

        var starts = rule!.ExpandLocal(first, Shanghai, first.AddDays(9.5)).ToList();

        Assert.Equal(10, starts.Count);
        Assert.False(rule.IsBounded);
    }

    [Theory]
    [InlineData("FREQ=YEARLY", "FREQ=YEARLY")]
    [InlineData("FREQ=HOURLY", "FREQ=HOURLY")]
    [InlineData("FREQ=DAILY;BYHOUR=9", "BYHOUR")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=1", "BYMONTHDAY")]
    [InlineData("FREQ=WEEKLY;BYSETPOS=1", "BYSETPOS")]
    [InlineData("INTERVAL=2", "FREQ is required")]
    [InlineData("FREQ=DAILY;COUNT=0", "COUNT")]
    [InlineData("FREQ=DAILY;COUNT=5000", "COUNT")]
    [InlineData("FREQ=DAILY;INTERVAL=-1", "INTERVAL")]
    [InlineData("FREQ=DAILY;COUNT=3;UNTIL=20270101", "COUNT and UNTIL")]
    [InlineData("FREQ=DAILY;UNTIL=2027-01-01", "UNTIL")]
    [InlineData("FREQ=WEEKLY;BYDAY=XX", "BYDAY")]
    [InlineData("FREQ=WEEKLY;BYDAY=1MO", "ordinals")]
    [InlineData("FREQ=MONTHLY;BYDAY=6MO", "BYDAY")]
    [InlineData("FREQ=DAILY;FREQ=WEEKLY", "twice")]
    [InlineData("FREQ=DAILY;WKST=SU", "WKST")]
    [InlineData("FREQ", "NAME=VALUE")]
    [InlineData("", "empty")]
    public void Unsupported_OrInvalid_IsRefusedWithTheReason(string text, string reason)
    {
        Assert.False(RecurrenceRule.TryParse(text, out var rule, out var error));
        Assert.Null(rule);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void LowerCaseAndPrefix_AreAccepted()
    {
        Assert.True(RecurrenceRule.TryParse("rrule:freq=weekly;byday=mo,we;count=2", out var rule, out _));
        Assert.Equal(RecurrenceFrequency.Weekly, rule!.Frequency);
        Assert.Equal(2, rule.ByDay.Count);
    }
}

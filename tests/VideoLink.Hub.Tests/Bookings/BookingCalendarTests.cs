using VideoLink.Hub.Bookings;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>Occurrences with per-occurrence changes, and the conflict rule between bookings sharing a site.</summary>
public sealed class BookingCalendarTests
{
    private static readonly Guid SiteA = Guid.NewGuid();
    private static readonly Guid SiteB = Guid.NewGuid();
    private static readonly DateTime Monday = new(2026, 12, 7, 1, 0, 0, DateTimeKind.Utc); // 09:00 Shanghai

    private static Booking Series(DateTime startUtc, TimeSpan length, string? rule, params Guid[] sites)
    {
        var id = Guid.NewGuid();
        return new Booking
        {
            Id = id,
            Title = "例会",
            StartUtc = startUtc,
            EndUtc = startUtc + length,
            TimeZone = "Asia/Shanghai",
            Recurrence = rule,
            OrgPath = "/d/",
            Sites = sites.Select(s => new BookingSite { BookingId = id, SiteId = s }).ToList(),
        };
    }

    [Fact]
    public void MovedAndCancelledOccurrences_AreAppliedToTheSeries()
    {
        var booking = Series(Monday, TimeSpan.FromHours(1), "FREQ=WEEKLY;COUNT=3", SiteA);
        booking.Changes.Add(new BookingOccurrenceChange { BookingId = booking.Id, OriginalStartUtc = Monday.AddDays(7), StartUtc = Monday.AddDays(8), EndUtc = Monday.AddDays(8).AddHours(2) });
        booking.Changes.Add(new BookingOccurrenceChange { BookingId = booking.Id, OriginalStartUtc = Monday.AddDays(14), Cancelled = true });

        var occurrences = BookingCalendar.Occurrences(booking, Monday.AddDays(-1), Monday.AddDays(30));

        Assert.Equal(2, occurrences.Count);
        Assert.Equal(Monday, occurrences[0].StartUtc);
        Assert.Equal(Monday.AddDays(8), occurrences[1].StartUtc);
        Assert.Equal(Monday.AddDays(7), occurrences[1].OriginalStartUtc);
        Assert.Equal(TimeSpan.FromHours(2), occurrences[1].EndUtc - occurrences[1].StartUtc);
        Assert.Null(BookingCalendar.Find(booking, Monday.AddDays(14)));
        Assert.True(BookingCalendar.IsOriginalStart(booking, Monday.AddDays(14)));
        Assert.False(BookingCalendar.IsOriginalStart(booking, Monday.AddDays(15)));
    }

    [Fact]
    public void Window_ReturnsOnlyOverlappingOccurrences_IncludingOneUnderWay()
    {
        var booking = Series(Monday, TimeSpan.FromHours(2), "FREQ=DAILY", SiteA);

        var occurrences = BookingCalendar.Occurrences(booking, Monday.AddDays(3).AddHours(1), Monday.AddDays(5));

        Assert.Equal([Monday.AddDays(3), Monday.AddDays(4)], occurrences.Select(o => o.StartUtc));
    }

    [Fact]
    public void SeriesEnd_IsTheEndOfTheLastOccurrence_OrOpen()
    {
        Assert.True(RecurrenceRule.TryParse("FREQ=WEEKLY;COUNT=3", out var counted, out _));
        Assert.True(RecurrenceRule.TryParse("FREQ=WEEKLY", out var open, out _));

        Assert.Equal(Monday.AddDays(14).AddHours(1), BookingCalendar.SeriesEnd(Monday, Monday.AddHours(1), "Asia/Shanghai", counted));
        Assert.Null(BookingCalendar.SeriesEnd(Monday, Monday.AddHours(1), "Asia/Shanghai", open));
        Assert.Equal(Monday.AddHours(1), BookingCalendar.SeriesEnd(Monday, Monday.AddHours(1), "Asia/Shanghai", null));
    }

    [Fact]
    public void SharedSite_OverlappingSlot_IsAConflict_PerSiteAndOccurrence()
    {
        var existing = Series(Monday, TimeSpan.FromHours(2), "FREQ=WEEKLY;COUNT=4", SiteA, SiteB);
        var proposed = BookingCalendar.Occurrences(Series(Monday.AddDays(7).AddHours(1), TimeSpan.FromHours(1), "FREQ=WEEKLY;COUNT=2", SiteA, SiteB), Monday, Monday.AddDays(60));

        var conflicts = BookingCalendar.Conflicts(proposed, [SiteA, SiteB], [(existing, true)]);

        Assert.Equal(4, conflicts.Count); // 2 occurrences × 2 shared sites
        Assert.All(conflicts, c => Assert.Equal(existing.Id, c.BookingId));
        Assert.Equal([Monday.AddDays(7), Monday.AddDays(14)], conflicts.Select(c => c.StartUtc).Distinct());
    }

    [Fact]
    public void TouchingSlots_OtherSites_AndCancelledOccurrences_DoNotConflict()
    {
        var existing = Series(Monday, TimeSpan.FromHours(1), "FREQ=DAILY;COUNT=3", SiteA);
        existing.Changes.Add(new BookingOccurrenceChange { BookingId = existing.Id, OriginalStartUtc = Monday.AddDays(2), Cancelled = true });
        var touching = BookingCalendar.Occurrences(Series(Monday.AddHours(1), TimeSpan.FromHours(1), null, SiteA), Monday, Monday.AddDays(1));
        var elsewhere = BookingCalendar.Occurrences(Series(Monday, TimeSpan.FromHours(1), null, SiteB), Monday, Monday.AddDays(1));
        var onCancelled = BookingCalendar.Occurrences(Series(Monday.AddDays(2), TimeSpan.FromHours(1), null, SiteA), Monday, Monday.AddDays(3));

        Assert.Empty(BookingCalendar.Conflicts(touching, [SiteA], [(existing, true)]));
        Assert.Empty(BookingCalendar.Conflicts(elsewhere, [SiteB], [(existing, true)]));
        Assert.Empty(BookingCalendar.Conflicts(onCancelled, [SiteA], [(existing, true)]));
    }

    [Fact]
    public void ConflictWithABookingOutsideTheCallersSubtree_WithholdsItsTitle()
    {
        var existing = Series(Monday, TimeSpan.FromHours(1), null, SiteA);
        var proposed = BookingCalendar.Occurrences(Series(Monday.AddMinutes(30), TimeSpan.FromHours(1), null, SiteA), Monday, Monday.AddDays(1));

        var conflict = Assert.Single(BookingCalendar.Conflicts(proposed, [SiteA], [(existing, false)]));

        Assert.Null(conflict.Title);
        Assert.Equal(existing.Id, conflict.BookingId);
    }
}

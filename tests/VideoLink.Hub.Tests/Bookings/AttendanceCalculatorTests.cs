using VideoLink.Hub.Bookings;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>Attendance overlap arithmetic with the edge cases meetings produce.</summary>
public sealed class AttendanceCalculatorTests
{
    private static readonly DateTime T0 = new(2026, 12, 7, 1, 0, 0, DateTimeKind.Utc);
    private static readonly TimeInterval Meeting = new(T0, T0.AddMinutes(60));
    private static readonly Guid Site = Guid.NewGuid();
    private static readonly DateTime After = T0.AddHours(2);

    private static DateTime M(double minutes) => T0.AddMinutes(minutes);

    [Fact]
    public void Reconnects_AreMerged_AndGapsNotCounted()
    {
        var site = AttendanceCalculator.ForSite(Site, [(M(0), M(20)), (M(20), M(30)), (M(35), M(60))], Meeting, After);

        Assert.Equal(2, site.Connected.Count);
        Assert.Equal(55 * 60, site.ConnectedSeconds);
        Assert.Equal(55, site.Minutes);
        Assert.False(site.Late);
        Assert.False(site.LeftEarly);
    }

    [Fact]
    public void OverlappingLegsOfOneSite_CountOnce()
    {
        var site = AttendanceCalculator.ForSite(Site, [(M(0), M(40)), (M(10), M(50))], Meeting, After);

        Assert.Equal(50 * 60, site.ConnectedSeconds);
        Assert.True(site.LeftEarly);
    }

    [Fact]
    public void JoinedBeforeTheStart_AndStillConnectedAfterTheEnd_IsClippedToTheMeeting()
    {
        var site = AttendanceCalculator.ForSite(Site, [(M(-10), M(75))], Meeting, After);

        Assert.Equal(60 * 60, site.ConnectedSeconds);
        Assert.Equal(T0, site.FirstJoinUtc);
    }

    [Fact]
    public void LegDropped_WithoutALeaveTime_CountsUntilNowWhileRunning_AndUntilTheEndAfterwards()
    {
        var running = AttendanceCalculator.ForSite(Site, [(M(5), null)], Meeting, M(30));
        var over = AttendanceCalculator.ForSite(Site, [(M(5), null)], Meeting, After);

        Assert.Equal(25 * 60, running.ConnectedSeconds);
        Assert.Equal(55 * 60, over.ConnectedSeconds);
        Assert.False(running.LeftEarly); // the meeting is not over yet
    }

    [Fact]
    public void LateJoin_EarlyLeave_Absent()
    {
        var late = AttendanceCalculator.ForSite(Site, [(M(10), M(60))], Meeting, After);
        var early = AttendanceCalculator.ForSite(Site, [(M(0), M(40))], Meeting, After);
        var withinGrace = AttendanceCalculator.ForSite(Site, [(M(4), M(56))], Meeting, After);
        var absent = AttendanceCalculator.ForSite(Site, [], Meeting, After);
        var onlyOutside = AttendanceCalculator.ForSite(Site, [(M(-30), M(-5))], Meeting, After);

        Assert.True(late.Late);
        Assert.True(early.LeftEarly);
        Assert.False(withinGrace.Late);
        Assert.False(withinGrace.LeftEarly);
        Assert.True(absent.Absent);
        Assert.True(onlyOutside.Absent);
    }

    [Fact]
    public void Person_SignedInBeforeTheMeeting_NoSignOut_IsPresentForTheSitesConnectedTime()
    {
        var site = AttendanceCalculator.ForSite(Site, [(M(0), M(20)), (M(25), M(60))], Meeting, After);
        var events = new[] { new CheckInEvent("p1", Site, CheckInMethod.IdCard, M(-15)) };

        var person = Assert.Single(AttendanceCalculator.ForPeople(events, new Dictionary<Guid, SiteAttendance> { [Site] = site }, Meeting));

        Assert.Equal(55 * 60, person.PresentSeconds); // the site's drop (20–25) is not time at the meeting
        Assert.False(person.Late);
    }

    [Fact]
    public void Person_SignInSignOutSignInAgain_AndRepeatedSwipes()
    {
        var site = AttendanceCalculator.ForSite(Site, [(M(0), M(60))], Meeting, After);
        var events = new[]
        {
            new CheckInEvent("p1", Site, CheckInMethod.SignIn, M(10)),
            new CheckInEvent("p1", Site, CheckInMethod.IcCard, M(12)), // a second swipe while present changes nothing
            new CheckInEvent("p1", Site, CheckInMethod.SignOut, M(30)),
            new CheckInEvent("p1", Site, CheckInMethod.SignOut, M(31)), // a sign-out while absent changes nothing
            new CheckInEvent("p1", Site, CheckInMethod.IdCard, M(40)),
            new CheckInEvent("p1", Site, CheckInMethod.SignIn, M(70)), // after the end: ignored
        };

        var person = Assert.Single(AttendanceCalculator.ForPeople(events, new Dictionary<Guid, SiteAttendance> { [Site] = site }, Meeting));

        Assert.Equal((20 + 20) * 60, person.PresentSeconds);
        Assert.True(person.Late);
        Assert.Equal(2, person.Present.Count);
    }

    [Fact]
    public void Person_AtASiteThatNeverConnected_HasNoMinutes_AndOtherSitesAreIgnored()
    {
        var absent = AttendanceCalculator.ForSite(Site, [], Meeting, After);
        var events = new[]
        {
            new CheckInEvent("p1", Site, CheckInMethod.IdCard, M(1)),
            new CheckInEvent("p2", Guid.NewGuid(), CheckInMethod.IdCard, M(1)),
        };

        var people = AttendanceCalculator.ForPeople(events, new Dictionary<Guid, SiteAttendance> { [Site] = absent }, Meeting);

        var person = Assert.Single(people);
        Assert.Equal("p1", person.PersonKey);
        Assert.Equal(0, person.PresentSeconds);
    }

    [Fact]
    public void Intersect_HandlesInterleavedLists()
    {
        var a = new List<TimeInterval> { new(M(0), M(10)), new(M(20), M(30)), new(M(40), M(50)) };
        var b = new List<TimeInterval> { new(M(5), M(25)), new(M(45), M(60)) };

        var both = AttendanceCalculator.Intersect(a, b);

        Assert.Equal([new(M(5), M(10)), new(M(20), M(25)), new TimeInterval(M(45), M(50))], both);
    }
}

using VideoLink.Hub.Consultations;
using VideoLink.Hub.Organisation;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>Routing and roster rules on the expert board, with a hand-set clock (district time = UTC+8).</summary>
public sealed class RoutingTests
{
    private sealed class ManualClock(DateTime utc) : TimeProvider
    {
        public DateTime Utc { get; set; } = utc;

        public override DateTimeOffset GetUtcNow() => new(Utc, TimeSpan.Zero);
    }

    // Monday 2026-11-30 10:00 in the district (02:00 UTC).
    private static readonly DateTime MondayTenLocal = new(2026, 11, 30, 2, 0, 0, DateTimeKind.Utc);

    private readonly ManualClock _clock = new(MondayTenLocal);
    private readonly Presence _presence = new();
    private readonly ExpertBoard _board;

    public RoutingTests()
    {
        _board = new ExpertBoard(_presence, _clock);
        _board.Configure(DutyRoster.ResolveZone("Asia/Shanghai"));
    }

    private ExpertSeat Seat(string name, DateTime idleSince, string stationPath = "/d/health/", Guid? station = null, ExpertPresence? presence = ExpertPresence.Available, IReadOnlyList<Shift>? duty = null, params string[] categories)
    {
        var seat = new ExpertSeat
        {
            Id = Guid.NewGuid(),
            Name = name,
            StationSiteId = station ?? Guid.NewGuid(),
            StationOrgPath = stationPath,
            Categories = categories.Length == 0 ? ["medical"] : categories,
            Duty = duty ?? [],
            Explicit = presence,
            IdleSinceUtc = idleSince,
        };
        _board.Upsert(seat);
        return seat;
    }

    [Fact]
    public void Reserve_PicksTheLongestIdleAvailableExpert()
    {
        var recent = Seat("recent", MondayTenLocal.AddMinutes(-1));
        var longest = Seat("longest", MondayTenLocal.AddMinutes(-30));
        Seat("away", MondayTenLocal.AddHours(-5), presence: ExpertPresence.Away);

        var first = _board.Reserve("medical", Guid.NewGuid(), new HashSet<Guid>(), null, null);
        var second = _board.Reserve("medical", Guid.NewGuid(), new HashSet<Guid>(), null, null);
        var third = _board.Reserve("medical", Guid.NewGuid(), new HashSet<Guid>(), null, null);

        Assert.Equal(longest.Id, first!.Id);
        Assert.Equal(recent.Id, second!.Id);
        Assert.Null(third);
    }

    [Fact]
    public void Reserve_NeverGivesOneExpertTwoOffers_EvenAcrossCategories()
    {
        var both = Seat("both", MondayTenLocal.AddMinutes(-5), categories: ["medical", "legal"]);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();

        var medical = _board.Reserve("medical", a, new HashSet<Guid>(), null, null);
        var legal = _board.Reserve("legal", b, new HashSet<Guid>(), null, null);
        Assert.False(_board.ReleaseOffer(both.Id, b));
        Assert.True(_board.ReleaseOffer(both.Id, a));
        var legalAgain = _board.Reserve("legal", b, new HashSet<Guid>(), null, null);

        Assert.Equal(both.Id, medical!.Id);
        Assert.Null(legal);
        Assert.Equal(both.Id, legalAgain!.Id);
    }

    [Fact]
    public void Reserve_UnderParallelDemand_HandsEachExpertOutOnce()
    {
        var experts = Enumerable.Range(0, 5).Select(i => Seat("e" + i, MondayTenLocal.AddMinutes(-i))).ToList();

        var won = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 200, _ =>
        {
            if (_board.Reserve("medical", Guid.NewGuid(), new HashSet<Guid>(), null, null) is { } e)
            {
                won.Add(e.Id);
            }
        });

        Assert.Equal(5, won.Count);
        Assert.Equal(experts.Select(e => e.Id).Order(), won.Order());
    }

    [Fact]
    public void Reserve_SkipsExpertsAlreadyTried_AndPrefersTheVillagersTownship()
    {
        var district = Seat("district", MondayTenLocal.AddHours(-2), stationPath: "/d/health/");
        var local = Seat("local", MondayTenLocal.AddMinutes(-1), stationPath: "/d/tw1/");

        var preferred = _board.Reserve("medical", Guid.NewGuid(), new HashSet<Guid>(), null, "/d/tw1/");
        _board.ReleaseOffer(local.Id, preferred!.OfferFor!.Value);
        var afterDecline = _board.Reserve("medical", Guid.NewGuid(), new HashSet<Guid> { local.Id }, null, "/d/tw1/");

        Assert.Equal(local.Id, preferred.Id);
        Assert.Equal(district.Id, afterDecline!.Id);
    }

    [Fact]
    public void Roster_OutsideTheShift_IsNotOnDutyAndNotStaffed()
    {
        var morning = Seat("morning", MondayTenLocal.AddHours(-1), duty: [new Shift(DayOfWeek.Monday, new TimeOnly(8, 30), new TimeOnly(12, 0))]);
        var afternoon = Seat("afternoon", MondayTenLocal.AddHours(-3), duty: [new Shift(DayOfWeek.Monday, new TimeOnly(14, 30), new TimeOnly(17, 30))]);

        var staffedAtTen = _board.Staffed("medical");
        _clock.Utc = MondayTenLocal.AddHours(5); // 15:00 local
        var staffedAtThree = _board.Staffed("medical");

        Assert.Equal([morning.Id], staffedAtTen);
        Assert.Equal([afternoon.Id], staffedAtThree);
    }

    [Theory]
    [InlineData(DayOfWeek.Monday, 8, 29, false)]
    [InlineData(DayOfWeek.Monday, 8, 30, true)]
    [InlineData(DayOfWeek.Monday, 11, 59, true)]
    [InlineData(DayOfWeek.Monday, 12, 0, false)]
    [InlineData(DayOfWeek.Tuesday, 9, 0, false)]
    public void DutyRoster_ShiftBoundaries(DayOfWeek day, int hour, int minute, bool onDuty)
    {
        var monday = new DateTime(2026, 11, 30);
        var local = monday.AddDays(((int)day - (int)DayOfWeek.Monday + 7) % 7).AddHours(hour).AddMinutes(minute);

        Assert.Equal(onDuty, DutyRoster.IsOnDuty([new Shift(DayOfWeek.Monday, new TimeOnly(8, 30), new TimeOnly(12, 0))], local));
    }

    [Fact]
    public void DutyRoster_NightShift_RunsPastMidnight_AndNoRosterMeansAlways()
    {
        Shift[] night = [new Shift(DayOfWeek.Friday, new TimeOnly(22, 0), new TimeOnly(6, 0))];

        Assert.True(DutyRoster.IsOnDuty(night, new DateTime(2026, 12, 4, 23, 0, 0)));
        Assert.True(DutyRoster.IsOnDuty(night, new DateTime(2026, 12, 5, 5, 59, 0)));
        Assert.False(DutyRoster.IsOnDuty(night, new DateTime(2026, 12, 5, 6, 0, 0)));
        Assert.True(DutyRoster.IsOnDuty([], new DateTime(2026, 12, 6, 3, 0, 0)));
    }

    [Fact]
    public void Presence_FromTheStationsRegisteredSipPhone_MakesAnExpertWithoutAppAvailable()
    {
        var station = Guid.NewGuid();
        var phone = Guid.NewGuid();
        _board.SetStationPhones([(phone, station)]);
        var expert = Seat("phone only", MondayTenLocal.AddHours(-1), station: station, presence: null);

        var before = _board.Find(expert.Id)!.Presence;
        _presence.SetEndpoint(phone, true);
        var registered = _board.Find(expert.Id)!.Presence;
        var offered = _board.Reserve("medical", Guid.NewGuid(), new HashSet<Guid>(), null, null);
        _presence.SetEndpoint(phone, false);

        Assert.Equal(ExpertPresence.Offline, before);
        Assert.Equal(ExpertPresence.Available, registered);
        Assert.Equal(expert.Id, offered!.Id);
        Assert.Equal(ExpertPresence.Offline, _board.Find(expert.Id)!.Presence);
    }

    [Fact]
    public void EndCall_RestartsTheIdleClock_SoTheExpertGoesToTheBackOfTheLine()
    {
        var a = Seat("a", MondayTenLocal.AddMinutes(-20));
        var b = Seat("b", MondayTenLocal.AddMinutes(-10));
        var call = Guid.NewGuid();
        _board.Reserve("medical", call, new HashSet<Guid>(), a.Id, null);
        _board.StartCall(a.Id, call);
        _clock.Utc = MondayTenLocal.AddMinutes(5);
        _board.EndCall(a.Id, call);

        var next = _board.Reserve("medical", Guid.NewGuid(), new HashSet<Guid>(), null, null);

        Assert.Equal(b.Id, next!.Id);
    }
}

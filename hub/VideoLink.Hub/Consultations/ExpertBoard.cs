using VideoLink.Hub.Organisation;

namespace VideoLink.Hub.Consultations;

/// <summary>What an expert shows: set in the expert app, or derived from the station's registered SIP phone.</summary>
public enum ExpertPresence
{
    Offline,
    Available,
    Busy,
    Away,
}

/// <summary>The routing view of one expert.</summary>
public sealed class ExpertSeat
{
    public required Guid Id { get; init; }
    public Guid? UserId { get; set; }
    public required string Name { get; set; }
    public required Guid StationSiteId { get; init; }
    public required string StationOrgPath { get; set; }
    public required IReadOnlyList<string> Categories { get; set; }
    public IReadOnlyList<Shift> Duty { get; set; } = [];

    /// <summary>Set in the expert app; null when never set (then the station's SIP phone decides).</summary>
    public ExpertPresence? Explicit { get; set; }
    public DateTime IdleSinceUtc { get; set; }
    public Guid? OfferFor { get; set; }
    public Guid? CallFor { get; set; }
}

public sealed record ExpertSnapshot(Guid Id, Guid? UserId, string Name, Guid StationSiteId, string StationOrgPath, IReadOnlyList<string> Categories, ExpertPresence Presence, bool OnDuty, Guid? OfferFor, Guid? CallFor, DateTime IdleSinceUtc);

/// <summary>
/// Live state of every expert, shared by all category queues. Reservations happen under one lock, so however many
/// categories dispatch at once, an expert holds at most one offer or one call at a time — the invariant the
/// concurrency test checks against the durable offer log.
/// </summary>
public sealed class ExpertBoard
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, ExpertSeat> _experts = [];
    private readonly Dictionary<Guid, Guid> _phoneSites = [];
    private readonly Dictionary<Guid, int> _phonesOnline = [];
    private readonly HashSet<Guid> _endpointsOnline = [];
    private readonly TimeProvider _clock;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    public ExpertBoard(Presence presence, TimeProvider clock)
    {
        _clock = clock;
        presence.EndpointChanged += OnEndpointChanged;
    }

    /// <summary>Raised (outside the lock) with the categories in which an expert may have become free.</summary>
    public event Action<IReadOnlyList<string>>? MayHaveFreed;

    public void Configure(TimeZoneInfo zone) => _zone = zone;

    public DateTime LocalNow => TimeZoneInfo.ConvertTimeFromUtc(_clock.GetUtcNow().UtcDateTime, _zone);

    /// <summary>The SIP endpoints at expert stations, whose registration makes the station's experts available.</summary>
    public void SetStationPhones(IEnumerable<(Guid EndpointId, Guid SiteId)> phones)
    {
        lock (_gate)
        {
            foreach (var (endpoint, site) in phones)
            {
                _phoneSites[endpoint] = site;
            }
        }
    }

    public void Upsert(ExpertSeat seat)
    {
        lock (_gate)
        {
            if (_experts.TryGetValue(seat.Id, out var existing))
            {
                seat.OfferFor = existing.OfferFor;
                seat.CallFor = existing.CallFor;
            }

            _experts[seat.Id] = seat;
        }

        MayHaveFreed?.Invoke(seat.Categories);
    }

    public ExpertSnapshot? Find(Guid expertId)
    {
        lock (_gate)
        {
            return _experts.TryGetValue(expertId, out var e) ? Snapshot(e) : null;
        }
    }

    public ExpertSnapshot? FindByUser(Guid userId)
    {
        lock (_gate)
        {
            var e = _experts.Values.FirstOrDefault(x => x.UserId == userId);
            return e is null ? null : Snapshot(e);
        }
    }

    public IReadOnlyList<ExpertSnapshot> All()
    {
        lock (_gate)
        {
            return _experts.Values.Select(Snapshot).ToList();
        }
    }

    /// <summary>
    /// Picks and reserves the expert to ring: free (available, on duty, no offer, no call), serving the category, not
    /// already tried for this consultation; experts of the requesting township first, then the longest idle.
    /// </summary>
    public ExpertSnapshot? Reserve(string category, Guid consultationId, IReadOnlySet<Guid> tried, Guid? onlyExpert, string? preferPathPrefix)
    {
        var local = LocalNow;
        lock (_gate)
        {
            ExpertSeat? best = null;
            foreach (var e in _experts.Values)
            {
                if ((onlyExpert is { } only ? e.Id != only : !e.Categories.Contains(category)) || tried.Contains(e.Id) || !IsFree(e, local))
                {
                    continue;
                }

                if (best is null || Better(e, best, preferPathPrefix))
                {
                    best = e;
                }
            }

            if (best is null)
            {
                return null;
            }

            best.OfferFor = consultationId;
            return Snapshot(best);
        }
    }

    /// <summary>Experts of the category who are working now (on duty and Available or Busy, or in a call or offer).</summary>
    public IReadOnlyList<Guid> Staffed(string category)
    {
        var local = LocalNow;
        lock (_gate)
        {
            return _experts.Values
                .Where(e => e.Categories.Contains(category) && DutyRoster.IsOnDuty(e.Duty, local)
                    && (e.CallFor is not null || e.OfferFor is not null || Effective(e) is ExpertPresence.Available or ExpertPresence.Busy))
                .Select(e => e.Id).ToList();
        }
    }

    public int FreeCount(string category)
    {
        var local = LocalNow;
        lock (_gate)
        {
            return _experts.Values.Count(e => e.Categories.Contains(category) && IsFree(e, local));
        }
    }

    /// <summary>Ends an offer (declined, unanswered, withdrawn). False if the expert was not holding this offer.</summary>
    public bool ReleaseOffer(Guid expertId, Guid consultationId)
    {
        IReadOnlyList<string>? categories = null;
        lock (_gate)
        {
            if (_experts.TryGetValue(expertId, out var e) && e.OfferFor == consultationId)
            {
                e.OfferFor = null;
                categories = e.Categories;
            }
        }

        if (categories is null)
        {
            return false;
        }

        MayHaveFreed?.Invoke(categories);
        return true;
    }

    public void StartCall(Guid expertId, Guid consultationId)
    {
        lock (_gate)
        {
            if (_experts.TryGetValue(expertId, out var e))
            {
                if (e.OfferFor == consultationId)
                {
                    e.OfferFor = null;
                }

                e.CallFor = consultationId;
            }
        }
    }

    public void EndCall(Guid expertId, Guid consultationId)
    {
        IReadOnlyList<string>? categories = null;
        lock (_gate)
        {
            if (_experts.TryGetValue(expertId, out var e) && e.CallFor == consultationId)
            {
                e.CallFor = null;
                e.IdleSinceUtc = _clock.GetUtcNow().UtcDateTime;
                categories = e.Categories;
            }
        }

        if (categories is not null)
        {
            MayHaveFreed?.Invoke(categories);
        }
    }

    /// <summary>Sets the presence chosen in the expert app; becoming Available starts the idle clock afresh if it was not.</summary>
    public ExpertSnapshot? SetPresence(Guid expertId, ExpertPresence presence)
    {
        ExpertSnapshot? result;
        lock (_gate)
        {
            if (!_experts.TryGetValue(expertId, out var e))
            {
                return null;
            }

            if (presence == ExpertPresence.Available && Effective(e) != ExpertPresence.Available)
            {
                e.IdleSinceUtc = _clock.GetUtcNow().UtcDateTime;
            }

            e.Explicit = presence;
            result = Snapshot(e);
        }

        MayHaveFreed?.Invoke(result.Categories);
        return result;
    }

    private void OnEndpointChanged(Guid endpointId, bool online)
    {
        IReadOnlyList<string> categories;
        lock (_gate)
        {
            if (!_phoneSites.TryGetValue(endpointId, out var site) || !(online ? _endpointsOnline.Add(endpointId) : _endpointsOnline.Remove(endpointId)))
            {
                return;
            }

            _phonesOnline[site] = Math.Max(0, _phonesOnline.GetValueOrDefault(site) + (online ? 1 : -1));
            var now = _clock.GetUtcNow().UtcDateTime;
            var atStation = _experts.Values.Where(e => e.StationSiteId == site).ToList();
            foreach (var e in atStation.Where(e => online && e.Explicit is null))
            {
                e.IdleSinceUtc = now;
            }

            categories = atStation.SelectMany(e => e.Categories).Distinct(StringComparer.Ordinal).ToList();
        }

        MayHaveFreed?.Invoke(categories);
    }

    private ExpertPresence Effective(ExpertSeat e) =>
        e.Explicit ?? (_phonesOnline.GetValueOrDefault(e.StationSiteId) > 0 ? ExpertPresence.Available : ExpertPresence.Offline);

    private bool IsFree(ExpertSeat e, DateTime local) =>
        e.OfferFor is null && e.CallFor is null && Effective(e) == ExpertPresence.Available && DutyRoster.IsOnDuty(e.Duty, local) && !PhoneInUse(e);

    /// <summary>Roster-only experts of a station share its SIP phone: while it rings or carries a call for one of them, it is nobody else's.</summary>
    private bool PhoneInUse(ExpertSeat e) =>
        e.UserId is null && _experts.Values.Any(o => o.UserId is null && o.StationSiteId == e.StationSiteId && (o.OfferFor is not null || o.CallFor is not null));

    /// <summary>The station's SIP phones registered now: where a roster-only expert (no login) is rung.</summary>
    public IReadOnlyList<Guid> OnlinePhones(Guid stationSiteId)
    {
        lock (_gate)
        {
            return _phoneSites.Where(p => p.Value == stationSiteId && _endpointsOnline.Contains(p.Key)).Select(p => p.Key).ToList();
        }
    }

    /// <summary>The roster-only experts of a station (who answer on its SIP phone).</summary>
    public IReadOnlyList<Guid> PhoneExperts(Guid stationSiteId)
    {
        lock (_gate)
        {
            return _experts.Values.Where(e => e.UserId is null && e.StationSiteId == stationSiteId).Select(e => e.Id).ToList();
        }
    }

    private static bool Better(ExpertSeat candidate, ExpertSeat best, string? prefix)
    {
        if (prefix is not null)
        {
            var c = candidate.StationOrgPath.StartsWith(prefix, StringComparison.Ordinal);
            var b = best.StationOrgPath.StartsWith(prefix, StringComparison.Ordinal);
            if (c != b)
            {
                return c;
            }
        }

        return candidate.IdleSinceUtc != best.IdleSinceUtc ? candidate.IdleSinceUtc < best.IdleSinceUtc : candidate.Id.CompareTo(best.Id) < 0;
    }

    private ExpertSnapshot Snapshot(ExpertSeat e) =>
        new(e.Id, e.UserId, e.Name, e.StationSiteId, e.StationOrgPath, e.Categories, e.CallFor is not null ? ExpertPresence.Busy : Effective(e),
            DutyRoster.IsOnDuty(e.Duty, LocalNow), e.OfferFor, e.CallFor, e.IdleSinceUtc);
}

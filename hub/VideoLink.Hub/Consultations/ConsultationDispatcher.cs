using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Rooms;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Consultations;

/// <summary>
/// Owns one <see cref="CategoryQueue"/> per service category and the shared <see cref="ExpertBoard"/>. At start-up it
/// reads the experts and every open consultation back from the database: waiting and ringing requests return to their
/// queues in their original order and are offered again, connected calls keep their rooms.
/// </summary>
public sealed partial class ConsultationDispatcher(
    ExpertBoard board,
    ConsultationNotifier notify,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<ConsultationOptions> options,
    VideoLink.Hub.Conference.ConferenceService conferences,
    VideoLink.Hub.Conference.SipLegs sipLegs,
    ILogger<ConsultationDispatcher> logger) : IHostedService
{
    private readonly Dictionary<string, CategoryQueue> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, CategoryQueue> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _sequence;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        board.Configure(DutyRoster.ResolveZone(options.Value.TimeZone));
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();

        foreach (var c in await db.ServiceCategories.AsNoTracking().ToListAsync(cancellationToken))
        {
            _queues[c.Code] = new CategoryQueue(c.Code, c.Name, c.RecordConsultations, this, board, notify, scopes, clock, options.Value, logger, _stopping.Token);
        }

        var stations = await db.Sites.AsNoTracking().Where(s => s.Kind == SiteKind.ExpertStation).Select(s => s.Id).ToListAsync(cancellationToken);
        var phones = await db.Endpoints.AsNoTracking().Where(e => e.Kind == EndpointKind.Sip && stations.Contains(e.SiteId)).Select(e => new { e.Id, e.SiteId }).ToListAsync(cancellationToken);
        board.SetStationPhones(phones.Select(p => (p.Id, p.SiteId)));
        foreach (var expert in await db.Experts.AsNoTracking().Include(e => e.Duty).Include(e => e.ExtraCategories).ToListAsync(cancellationToken))
        {
            board.Upsert(await SeatAsync(db, expert, cancellationToken));
        }

        await RestoreAsync(db, cancellationToken);
        board.MayHaveFreed += Kick;
        foreach (var queue in _queues.Values)
        {
            queue.Kick();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        board.MayHaveFreed -= Kick;
        await _stopping.CancelAsync();
        foreach (var queue in _queues.Values)
        {
            queue.Complete();
        }

        await Task.WhenAll(_queues.Values.Select(q => q.Completion)).WaitAsync(cancellationToken);
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Track(Guid id, CategoryQueue queue) => _open[id] = queue;

    internal void Forget(Guid id) => _open.TryRemove(id, out _);

    /// <summary>Ends the call's live room (every leg leaves with room-ended); runs apart from the queue's turn.</summary>
    internal void CloseRoomMedia(Guid roomId) => _ = EndRoomAsync(roomId);

    private async Task EndRoomAsync(Guid roomId)
    {
        try
        {
            await conferences.EndAsync(roomId, CancellationToken.None);
        }
#pragma warning disable CA1031 // A room that fails to end is logged; the consultation record is already closed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRoomEndFailed(logger, roomId, ex);
        }
    }

    /// <summary>
    /// Rings a roster-only expert on the station's registered SIP video phone by dialling it into the consultation's
    /// room (the kiosk joins when the call is answered). Busy or refused = declined; no answer within
    /// <paramref name="ringFor"/>, no registered phone or a failed dial = no answer. Runs apart from the queue's turn.
    /// </summary>
    internal async Task<StationRing> RingStationPhoneAsync(Guid roomId, Guid stationSiteId, TimeSpan ringFor, CancellationToken cancellationToken)
    {
        var phones = board.OnlinePhones(stationSiteId);
        SiteEndpoint? phone;
        Room? row;
        await using (var scope = scopes.CreateSystemScope(out var db)) // not held while the phone rings
        {
            phone = await db.Endpoints.AsNoTracking().FirstOrDefaultAsync(e => phones.Contains(e.Id) && e.SipUser != null, cancellationToken);
            row = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roomId && r.ClosedUtc == null, cancellationToken);
        }

        if (phone is null || row is null)
        {
            return new StationRing(null, OfferResponse.NoAnswer, phone is null ? "no registered SIP phone at the station" : "the room is closed");
        }

        var (outcome, leg) = await sipLegs.DialAsync(conferences.Open(row), phone.SipUser!, new VideoLink.Hub.Conference.SipParty(phone.DisplayName, phone.Id, phone.SiteId),
            cancellationToken, ringFor);
        LogPhoneRang(logger, phone.SipUser!, roomId, outcome.Status.ToString(), outcome.StatusCode);
        var response = outcome.Status is VideoLink.Sip.SipDialStatus.Busy or VideoLink.Sip.SipDialStatus.Rejected ? OfferResponse.Declined : OfferResponse.NoAnswer;
        return new StationRing(outcome.IsAnswered ? leg : null, outcome.IsAnswered && leg is not null ? OfferResponse.Accepted : response, $"{outcome.StatusCode} {outcome.Reason}");
    }

    /// <summary>Removes one leg from a room (a phone that answered after the request was gone).</summary>
    internal void HangUp(Guid roomId, Guid legId) => conferences.Leave(roomId, legId, VideoLink.Hub.Conference.LeaveReasons.Kicked);

    /// <summary>Calls <paramref name="hungUp"/> once when the leg leaves its room (the expert put the phone down).</summary>
    internal void WhenLegLeaves(Guid roomId, Guid legId, Action hungUp)
    {
        if (conferences.Find(roomId) is not { } room)
        {
            hungUp();
            return;
        }

        EventHandler<(VideoLink.Hub.Conference.ConferenceLeg Leg, string Reason)>? handler = null;
        handler = (_, left) =>
        {
            if (left.Leg.Id == legId)
            {
                room.LegLeft -= handler;
                hungUp();
            }
        };
        room.LegLeft += handler;
        if (room.Legs.All(l => l.Id != legId || l.IsEnded))
        {
            room.LegLeft -= handler;
            hungUp(); // it left before we started listening
        }
    }

    [LoggerMessage(EventId = 2198, Level = LogLevel.Information, Message = "Station phone {SipUser} rung for room {RoomId}: {Status} {StatusCode}")]
    private static partial void LogPhoneRang(ILogger logger, string sipUser, Guid roomId, string status, int statusCode);

    [LoggerMessage(EventId = 2199, Level = LogLevel.Warning, Message = "Could not end the live room {RoomId} of a consultation")]
    private static partial void LogRoomEndFailed(ILogger logger, Guid roomId, Exception ex);

    public bool IsKnownCategory(string code) => _queues.ContainsKey(code);

    public Task<QueueTicket> RequestAsync(NewConsultation request)
    {
        var queue = _queues[request.Category];
        return TrackAsync(queue, queue.EnqueueAsync(request));
    }

    private async Task<QueueTicket> TrackAsync(CategoryQueue queue, Task<QueueTicket> ticket)
    {
        var t = await ticket;
        if (t.Outcome is null)
        {
            _open[t.Id] = queue;
        }

        return t;
    }

    public Task<Guid> AcceptAsync(Guid id, Guid expertId) => Open(id).AcceptAsync(id, expertId);

    public Task DeclineAsync(Guid id, Guid expertId) => Open(id).DeclineAsync(id, expertId);

    public Task CancelAsync(Guid id, ConsultationCaller caller) => Open(id).CancelAsync(id, caller);

    public Task EndAsync(Guid id, ConsultationCaller caller) => Open(id).EndAsync(id, caller);

    public Task InviteAsync(Guid id, Guid expertId, ExpertSnapshot invited) => Open(id).InviteAsync(id, expertId, invited);

    public Task TransferAsync(Guid id, Guid expertId, string category, Guid? toExpert) => Open(id).TransferAsync(id, expertId, _queues[category], toExpert);

    /// <summary>Live state (position, estimate) of an open consultation; null when it is closed.</summary>
    public Task<ConsultationUpdate?> StateOfAsync(Guid id) =>
        _open.TryGetValue(id, out var queue) ? queue.StateOfAsync(id) : Task.FromResult<ConsultationUpdate?>(null);

    /// <summary>Every category's queue and calls, in category order.</summary>
    public async Task<IReadOnlyList<QueueSnapshot>> QueuesAsync() =>
        await Task.WhenAll(_queues.Values.Select(q => q.SnapshotAsync()));

    public async Task<IReadOnlyList<OfferView>> OffersForAsync(Guid expertId)
    {
        var seat = board.Find(expertId);
        if (seat?.OfferFor is not { } offered || !_open.TryGetValue(offered, out var queue))
        {
            return [];
        }

        return await queue.OffersForAsync(expertId);
    }

    /// <summary>Builds the routing view of an expert row (categories, roster, persisted presence).</summary>
    internal static async Task<ExpertSeat> SeatAsync(VideoLinkDbContext db, Expert e, CancellationToken ct)
    {
        var name = await db.People.IgnoreQueryFilters().Where(p => p.Id == e.PersonId).Select(p => p.Name).FirstOrDefaultAsync(ct) ?? "";
        var stationPath = await db.Sites.IgnoreQueryFilters().Where(s => s.Id == e.StationSiteId).Select(s => s.OrgPath).FirstOrDefaultAsync(ct) ?? e.OrgPath;
        return new ExpertSeat
        {
            Id = e.Id,
            UserId = e.UserId,
            Name = name,
            StationSiteId = e.StationSiteId,
            StationOrgPath = stationPath,
            Categories = [e.CategoryCode, .. e.ExtraCategories.Select(c => c.CategoryCode).Where(c => c != e.CategoryCode)],
            Duty = DutyRoster.From(e.Duty),
            Explicit = Enum.TryParse<ExpertPresence>(e.PresenceStatus, out var p) ? p : null,
            IdleSinceUtc = e.IdleSinceUtc ?? DateTime.MinValue,
        };
    }

    private async Task RestoreAsync(VideoLinkDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Rings that were running when the hub stopped are over; their requests ring again from the top.
        var withdrawn = await db.ConsultationOffers.Where(o => o.Response == null)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Response, OfferResponse.Withdrawn).SetProperty(o => o.RespondedUtc, now), ct);
        await db.Consultations.Where(c => c.Status == ConsultationStatus.Ringing)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConsultationStatus.Queued), ct);
        _sequence = await db.Consultations.MaxAsync(c => (long?)c.Sequence, ct) ?? 0;

        var open = await db.Consultations.AsNoTracking()
            .Where(c => c.Status == ConsultationStatus.Queued || c.Status == ConsultationStatus.InCall)
            .OrderBy(c => c.Sequence)
            .Join(db.Sites, c => c.SiteId, s => s.Id, (c, s) => new { C = c, s.OrgUnitId })
            .ToListAsync(ct);
        // Experts still in a call are marked busy before any queue runs a dispatch pass over the restored requests.
        foreach (var c in open.Select(r => r.C).Where(c => c.Status == ConsultationStatus.InCall && c.ExpertId is not null))
        {
            board.StartCall(c.ExpertId!.Value, c.Id);
        }

        foreach (var row in open)
        {
            var c = row.C;
            if (!_queues.TryGetValue(c.CategoryCode, out var queue))
            {
                continue;
            }

            var entry = new QueueEntry
            {
                Id = c.Id,
                Sequence = c.Sequence,
                SiteId = c.SiteId,
                SiteOrgUnitId = row.OrgUnitId,
                SiteOrgPath = c.OrgPath,
                RequestedUtc = c.RequestedUtc,
                PersonMasked = c.PersonMasked,
                RoomId = c.RoomId,
                TargetExpert = c.TargetExpertId,
            };
            _open[c.Id] = queue;
            if (c.Status == ConsultationStatus.InCall && c.ExpertId is { } expertId && c.RoomId is { } roomId)
            {
                var invited = ConsultationIds.Parse(c.InvitedExpertIds);
                queue.AdoptCall(new CallEntry(entry, expertId, board.Find(expertId)?.UserId, roomId, c.StationOrgPath ?? "", invited));
            }
            else
            {
                queue.Adopt(entry);
            }
        }

        LogRestored(logger, open.Count, withdrawn);
    }

    private CategoryQueue Open(Guid id) =>
        _open.TryGetValue(id, out var queue) ? queue : throw new ConsultationActionException(StatusCodes.Status409Conflict, "The consultation is not open.");

    private void Kick(IReadOnlyList<string> categories)
    {
        foreach (var c in categories)
        {
            if (_queues.TryGetValue(c, out var queue))
            {
                queue.Kick();
            }
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Consultations restored: {Open} open, {Withdrawn} interrupted offer(s) withdrawn")]
    private static partial void LogRestored(ILogger logger, int open, int withdrawn);
}

/// <summary>The comma-separated expert ids stored on a consultation (invited specialists).</summary>
public static class ConsultationIds
{
    public static List<Guid> Parse(string? csv) =>
        string.IsNullOrEmpty(csv) ? [] : csv.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();

    public static bool Contains(string? csv, Guid id) => csv is not null && csv.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>How ringing a station's SIP phone ended: the answered leg, or why not.</summary>
internal sealed record StationRing(VideoLink.Hub.Conference.ConferenceLeg? Leg, OfferResponse Response, string Detail);

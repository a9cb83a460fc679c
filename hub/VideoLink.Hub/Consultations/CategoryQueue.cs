using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Rooms;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Consultations;

/// <summary>A refused consultation action, answered as a problem with <see cref="Status"/>.</summary>
public sealed class ConsultationActionException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}

/// <summary>A request entering a queue: where it comes from and who (masked) asks.</summary>
public sealed record NewConsultation(Guid SiteId, Guid SiteOrgUnitId, string SiteOrgPath, string Category, ConsultationSource Source, string? PersonHash, string? PersonMasked);

/// <summary>The answer to a request: <c>{"id","status","position","estimatedWaitSeconds"}</c>.</summary>
public sealed record QueueTicket(Guid Id, string Status, string? Outcome, int Position, int EstimatedWaitSeconds);

/// <summary>Who acts on a consultation: the kiosk of a site, an expert, or staff (already checked against the org tree).</summary>
public sealed record ConsultationCaller(Guid? KioskSiteId, Guid? ExpertId, bool Staff);

internal sealed class QueueEntry
{
    public required Guid Id { get; init; }
    public required long Sequence { get; init; }
    public required Guid SiteId { get; init; }
    public required Guid SiteOrgUnitId { get; init; }
    public required string SiteOrgPath { get; init; }
    public required DateTime RequestedUtc { get; init; }
    public string? PersonMasked { get; init; }
    public HashSet<Guid> Tried { get; } = [];
    public Guid? TargetExpert { get; set; }
    public Guid? RoomId { get; set; }
    public Guid? RingingExpert { get; set; }
    public Guid? RingingUser { get; set; }
    public Guid? OfferId { get; set; }
    public DateTime OfferedUtc { get; set; }
    public (int Position, int Estimate) LastPushed { get; set; } = (-1, -1);

    /// <summary>The room made to ring a station's SIP phone before anyone answered (reused for the next phone).</summary>
    public Guid? PhoneRoomId { get; set; }

    /// <summary>Cancels the dial while a station's SIP phone rings for this request.</summary>
    public CancellationTokenSource? PhoneRing { get; set; }

    /// <summary>"/district/township/…/" → "/district/township/": experts of the villager's own township ring first.</summary>
    public string? TownshipPrefix
    {
        get
        {
            var second = SiteOrgPath.IndexOf('/', 1);
            var third = second < 0 ? -1 : SiteOrgPath.IndexOf('/', second + 1);
            return third < 0 ? null : SiteOrgPath[..(third + 1)];
        }
    }
}

/// <summary>A request waiting in a category's queue, as the live queue shows it.</summary>
public sealed record QueuedRequest(Guid Id, Guid SiteId, string SiteOrgPath, DateTime RequestedUtc, int Position, int EstimatedWaitSeconds, Guid? RingingExpertId);

/// <summary>A consultation in progress.</summary>
public sealed record ActiveCall(Guid Id, Guid SiteId, string SiteOrgPath, string StationOrgPath, DateTime RequestedUtc, Guid ExpertId);

public sealed record QueueSnapshot(string Category, string CategoryName, IReadOnlyList<QueuedRequest> Waiting, IReadOnlyList<ActiveCall> InCall);

internal sealed record CallEntry(QueueEntry Origin, Guid ExpertId, Guid? ExpertUserId, Guid RoomId, string StationOrgPath, List<Guid> Invited);

/// <summary>
/// One category's queue as an actor: every change to its waiting list, its offers and its calls runs one at a time
/// on a single reader of a channel, so the queue needs no locks of its own and its order is the order of arrival.
/// Experts are reserved on the shared <see cref="ExpertBoard"/> (one lock across categories). Every step is written
/// to the database before it is announced, so a restarted hub rebuilds the same queue.
/// </summary>
internal sealed partial class CategoryQueue
{
    private readonly Channel<Func<Task>> _inbox = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<QueueEntry> _waiting = [];
    private readonly Dictionary<Guid, CallEntry> _calls = [];
    private readonly Queue<double> _talkSeconds = new();
    private readonly ConsultationDispatcher _owner;
    private readonly ExpertBoard _board;
    private readonly ConsultationNotifier _notify;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ConsultationOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private int _pumpPending;
    private volatile bool _dirty;

    public CategoryQueue(string category, string categoryName, bool recordCategory, ConsultationDispatcher owner, ExpertBoard board, ConsultationNotifier notify,
        IServiceScopeFactory scopes, TimeProvider clock, ConsultationOptions options, ILogger logger, CancellationToken stopping)
    {
        Category = category;
        CategoryName = categoryName;
        RecordCategory = recordCategory;
        _owner = owner;
        _board = board;
        _notify = notify;
        _scopes = scopes;
        _clock = clock;
        _options = options;
        _logger = logger;
        _stopping = stopping;
        Completion = Task.WhenAll(RunAsync(), PushPositionsLoopAsync());
    }

    public string Category { get; }

    public string CategoryName { get; }

    public bool RecordCategory { get; }

    public Task Completion { get; }

    public void Complete() => _inbox.Writer.TryComplete();

    // ---- mailbox -------------------------------------------------------------------------------------------------

    private Task<T> Ask<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var posted = _inbox.Writer.TryWrite(async () =>
        {
            try
            {
                done.TrySetResult(await work());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        if (!posted)
        {
            done.TrySetException(new ConsultationActionException(StatusCodes.Status503ServiceUnavailable, "The hub is stopping."));
        }

        return done.Task;
    }

    private Task Ask(Func<Task> work) => Ask(async () =>
    {
        await work();
        return true;
    });

    private void Tell(Func<Task> work) => _inbox.Writer.TryWrite(work);

    /// <summary>Asks for a dispatch pass; passes requested while one is pending are merged into it.</summary>
    public void Kick()
    {
        if (Interlocked.Exchange(ref _pumpPending, 1) == 0)
        {
            Tell(PumpAsync);
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        try
        {
            await foreach (var work in _inbox.Reader.ReadAllAsync(_stopping))
            {
                try
                {
                    await work();
                }
                catch (Exception ex) when (!_stopping.IsCancellationRequested)
                {
                    // A failing step (database hiccup) is logged; the queue keeps serving.
                    LogStepFailed(_logger, Category, ex);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task WithDbAsync(Func<VideoLinkDbContext, Task> work)
    {
        await using var scope = _scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        await work(scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>());
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    // ---- commands ------------------------------------------------------------------------------------------------

    public Task<QueueTicket> EnqueueAsync(NewConsultation request) => Ask(async () =>
    {
        var now = Now;
        var staffed = _board.Staffed(Category).Count > 0;
        var consultation = new Consultation
        {
            Id = Guid.NewGuid(),
            Sequence = _owner.NextSequence(),
            SiteId = request.SiteId,
            CategoryCode = Category,
            Source = request.Source,
            Status = staffed ? ConsultationStatus.Queued : ConsultationStatus.Closed,
            Outcome = staffed ? null : ConsultationOutcome.Callback,
            EndedUtc = staffed ? null : now,
            PersonHash = request.PersonHash,
            PersonMasked = request.PersonMasked,
            RequestedUtc = now,
            OrgPath = request.SiteOrgPath,
        };
        await WithDbAsync(async db =>
        {
            db.Consultations.Add(consultation);
            await db.SaveChangesAsync(_stopping);
        });
        LogRequested(_logger, consultation.Id, Category, request.SiteId, consultation.Sequence, staffed);
        if (!staffed)
        {
            // 回访: nobody of this category is on duty anywhere; staff call the villager back.
            _notify.Staff(consultation.OrgPath, null, Changed(consultation.Id, consultation.SiteId, "Closed", "Callback"));
            return new QueueTicket(consultation.Id, "Callback", nameof(ConsultationOutcome.Callback), 0, 0);
        }

        var entry = new QueueEntry
        {
            Id = consultation.Id,
            Sequence = consultation.Sequence,
            SiteId = request.SiteId,
            SiteOrgUnitId = request.SiteOrgUnitId,
            SiteOrgPath = request.SiteOrgPath,
            RequestedUtc = now,
            PersonMasked = request.PersonMasked,
        };
        Insert(entry);
        _notify.Staff(consultation.OrgPath, null, Changed(consultation.Id, consultation.SiteId, "Queued", null));
        var (position, estimate) = PositionOf(entry);
        entry.LastPushed = (position, estimate);
        Kick();
        return new QueueTicket(consultation.Id, "Queued", null, position, estimate);
    });

    /// <summary>Puts back a request read from the database at start-up, or one transferred in from another category.</summary>
    public void Adopt(QueueEntry entry) => Tell(() =>
    {
        Insert(entry);
        Kick();
        return Task.CompletedTask;
    });

    /// <summary>Puts back a call that was connected when the hub stopped (its room is still open to rejoin).</summary>
    public void AdoptCall(CallEntry call) => Tell(() =>
    {
        _calls[call.Origin.Id] = call;
        _board.StartCall(call.ExpertId, call.Origin.Id);
        return Task.CompletedTask;
    });

    public Task<Guid> AcceptAsync(Guid id, Guid expertId) => Ask(async () =>
    {
        var entry = _waiting.Find(e => e.Id == id);
        if (entry is null || entry.RingingExpert != expertId || entry.OfferId is not { } offerId)
        {
            throw new ConsultationActionException(StatusCodes.Status409Conflict, "This consultation is not ringing for you (taken, withdrawn or expired).");
        }

        return await ConnectAsync(entry, expertId, offerId);
    });

    /// <summary>The ringing expert answered (in the app, or on the station's SIP phone): the request becomes a call in its room.</summary>
    private async Task<Guid> ConnectAsync(QueueEntry entry, Guid expertId, Guid offerId)
    {
        var id = entry.Id;
        var expert = _board.Find(expertId)!;
        var now = Now;
        var roomId = entry.RoomId ?? entry.PhoneRoomId ?? Guid.Empty;
        var recording = RecordCategory || _options.RecordingStations.Contains(expert.StationSiteId);
        await WithDbAsync(async db =>
        {
            if (entry.RoomId is null && entry.PhoneRoomId is null)
            {
                var unit = await db.OrgUnits.FirstAsync(u => u.Id == entry.SiteOrgUnitId, _stopping);
                roomId = (await RoomService.CreateAsync(db, $"服务面对面·{CategoryName}", unit, expert.UserId, now, _stopping)).Id;
            }

            var c = await db.Consultations.FirstAsync(x => x.Id == id, _stopping);
            c.Status = ConsultationStatus.InCall;
            c.AnsweredUtc ??= now;
            c.ExpertId = expertId;
            c.StationSiteId = expert.StationSiteId;
            c.StationOrgPath = expert.StationOrgPath;
            c.TargetExpertId = null;
            c.RoomId = roomId;
            c.Recording |= recording;
            c.RecordingRef ??= c.Recording ? $"recordings/consultations/{id:N}.mp4" : null;
            var offer = await db.ConsultationOffers.FirstAsync(o => o.Id == offerId, _stopping);
            offer.Response = OfferResponse.Accepted;
            offer.RespondedUtc = now;
            await db.SaveChangesAsync(_stopping);
        });
        _board.StartCall(expertId, id);
        _waiting.Remove(entry);
        entry.RoomId = roomId;
        entry.RingingExpert = null;
        entry.RingingUser = null;
        entry.OfferId = null;
        entry.PhoneRoomId = null;
        _calls[id] = new CallEntry(entry, expertId, expert.UserId, roomId, expert.StationOrgPath, []);
        LogAnswered(_logger, id, expertId, roomId, (now - entry.RequestedUtc).TotalSeconds);
        _notify.Kiosk(entry.SiteId, new ConsultationUpdate(id, "InCall", null, 0, 0, roomId));
        _notify.Staff(entry.SiteOrgPath, expert.StationOrgPath, Changed(id, entry.SiteId, "InCall", null));
        _dirty = true;
        Kick();
        return roomId;
    }

    public Task DeclineAsync(Guid id, Guid expertId) => Ask(async () =>
    {
        var entry = _waiting.Find(e => e.Id == id);
        if (entry is null || entry.RingingExpert != expertId)
        {
            throw new ConsultationActionException(StatusCodes.Status409Conflict, "This consultation is not ringing for you.");
        }

        await EndOfferAsync(entry, OfferResponse.Declined);
        Kick();
    });

    private Task OfferExpiredAsync(Guid id, Guid offerId)
    {
        var entry = _waiting.Find(e => e.Id == id);
        if (entry is null || entry.OfferId != offerId)
        {
            return Task.CompletedTask; // answered, declined or withdrawn meanwhile
        }

        return EndOfferAndKickAsync(entry, OfferResponse.NoAnswer);
    }

    private async Task EndOfferAndKickAsync(QueueEntry entry, OfferResponse response)
    {
        await EndOfferAsync(entry, response);
        Kick();
    }

    /// <summary>Ends the entry's ring: written, the expert released, and not offered this request again.</summary>
    private async Task EndOfferAsync(QueueEntry entry, OfferResponse response)
    {
        if (entry.RingingExpert is not { } expertId || entry.OfferId is not { } offerId)
        {
            return;
        }

        var now = Now;
        await WithDbAsync(async db =>
        {
            await db.ConsultationOffers.Where(o => o.Id == offerId)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Response, response).SetProperty(o => o.RespondedUtc, now), _stopping);
            await db.Consultations.IgnoreQueryFilters().Where(c => c.Id == entry.Id && c.Status == ConsultationStatus.Ringing)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConsultationStatus.Queued), _stopping);
        });
        entry.Tried.Add(expertId);
        if (entry.TargetExpert == expertId)
        {
            entry.TargetExpert = null;
        }

        var user = entry.RingingUser;
        entry.RingingExpert = null;
        entry.RingingUser = null;
        entry.OfferId = null;
        StopPhoneRing(entry);
        _board.ReleaseOffer(expertId, entry.Id);
        LogOfferEnded(_logger, entry.Id, expertId, response);
        _notify.Expert(user, "consultationOfferWithdrawn", new { id = entry.Id, reason = response.ToString() });
        _dirty = true;
    }

    public Task CancelAsync(Guid id, ConsultationCaller caller) => Ask(async () =>
    {
        var entry = _waiting.Find(e => e.Id == id);
        if (entry is null)
        {
            if (_calls.ContainsKey(id))
            {
                await EndCallAsync(id, caller);
                return;
            }

            throw new ConsultationActionException(StatusCodes.Status409Conflict, "The consultation is no longer waiting.");
        }

        if (caller.KioskSiteId is { } site && site != entry.SiteId)
        {
            throw new ConsultationActionException(StatusCodes.Status404NotFound, "The consultation was not found.");
        }

        await EndOfferAsync(entry, OfferResponse.Withdrawn);
        await CloseWaitingAsync(entry, ConsultationOutcome.Abandoned);
        Kick();
    });

    public Task EndAsync(Guid id, ConsultationCaller caller) => Ask(async () =>
    {
        if (_calls.ContainsKey(id))
        {
            await EndCallAsync(id, caller);
            return;
        }

        var entry = _waiting.Find(e => e.Id == id);
        if (entry is not null && caller.KioskSiteId == entry.SiteId)
        {
            // The villager hangs up before anyone answered: abandoned.
            await EndOfferAsync(entry, OfferResponse.Withdrawn);
            await CloseWaitingAsync(entry, ConsultationOutcome.Abandoned);
            Kick();
            return;
        }

        throw new ConsultationActionException(StatusCodes.Status409Conflict, "The consultation is not in a call.");
    });

    private async Task EndCallAsync(Guid id, ConsultationCaller caller)
    {
        var call = _calls[id];
        var mayEnd = caller.Staff || caller.KioskSiteId == call.Origin.SiteId || caller.ExpertId == call.ExpertId || (caller.ExpertId is { } e && call.Invited.Contains(e));
        if (!mayEnd)
        {
            throw new ConsultationActionException(StatusCodes.Status404NotFound, "The consultation was not found.");
        }

        var now = Now;
        DateTime answered = now;
        await WithDbAsync(async db =>
        {
            var c = await db.Consultations.FirstAsync(x => x.Id == id, _stopping);
            c.Status = ConsultationStatus.Closed;
            c.Outcome = ConsultationOutcome.Answered;
            c.EndedUtc = now;
            answered = c.AnsweredUtc ?? now;
            await db.Rooms.IgnoreQueryFilters().Where(r => r.Id == call.RoomId && r.ClosedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClosedUtc, now), _stopping);
            await db.SaveChangesAsync(_stopping);
        });
        _owner.CloseRoomMedia(call.RoomId);
        _calls.Remove(id);
        _owner.Forget(id);
        _board.EndCall(call.ExpertId, id);
        RememberTalk((now - answered).TotalSeconds);
        LogEnded(_logger, id, (now - answered).TotalSeconds);
        var ended = new { id, outcome = "Answered" };
        _notify.Kiosk(call.Origin.SiteId, new ConsultationUpdate(id, "Closed", "Answered", 0, 0, call.RoomId));
        _notify.Expert(call.ExpertUserId, "consultationEnded", ended);
        foreach (var invited in call.Invited)
        {
            _notify.Expert(_board.Find(invited)?.UserId, "consultationEnded", ended);
        }

        _notify.Staff(call.Origin.SiteOrgPath, call.StationOrgPath, Changed(id, call.Origin.SiteId, "Closed", "Answered"));
        Kick();
    }

    public Task TransferAsync(Guid id, Guid expertId, CategoryQueue target, Guid? toExpert) => Ask(async () =>
    {
        if (!_calls.TryGetValue(id, out var call) || call.ExpertId != expertId)
        {
            throw new ConsultationActionException(StatusCodes.Status409Conflict, "You are not in a call on this consultation.");
        }

        await WithDbAsync(db => db.Consultations.Where(c => c.Id == id).ExecuteUpdateAsync(
            s => s.SetProperty(c => c.Status, ConsultationStatus.Queued).SetProperty(c => c.CategoryCode, target.Category).SetProperty(c => c.TargetExpertId, toExpert), _stopping));
        _calls.Remove(id);
        _board.EndCall(expertId, id);
        var entry = call.Origin;
        entry.Tried.Clear();
        entry.Tried.Add(expertId);
        entry.TargetExpert = toExpert;
        entry.LastPushed = (-1, -1);
        LogTransferred(_logger, id, Category, target.Category, toExpert);
        _owner.Track(id, target);
        target.Adopt(entry);
        Kick();
    });

    public Task InviteAsync(Guid id, Guid expertId, ExpertSnapshot invited) => Ask(async () =>
    {
        if (!_calls.TryGetValue(id, out var call) || call.ExpertId != expertId)
        {
            throw new ConsultationActionException(StatusCodes.Status409Conflict, "You are not in a call on this consultation.");
        }

        if (!call.Invited.Contains(invited.Id) && invited.Id != expertId)
        {
            call.Invited.Add(invited.Id);
            var csv = string.Join(',', call.Invited);
            await WithDbAsync(db => db.Consultations.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.InvitedExpertIds, csv), _stopping));
        }

        _notify.Expert(invited.UserId, "consultationInvited", new { id, roomId = call.RoomId, category = Category });
    });

    public Task<IReadOnlyList<OfferView>> OffersForAsync(Guid expertId) => Ask(() =>
        Task.FromResult<IReadOnlyList<OfferView>>(_waiting.Where(e => e.RingingExpert == expertId).Select(OfferOf).ToList()));

    public Task<ConsultationUpdate?> StateOfAsync(Guid id) => Ask(() =>
    {
        var entry = _waiting.Find(e => e.Id == id);
        if (entry is not null)
        {
            var (position, estimate) = PositionOf(entry);
            return Task.FromResult<ConsultationUpdate?>(new ConsultationUpdate(id, entry.RingingExpert is null ? "Queued" : "Ringing", null, position, estimate, entry.RoomId));
        }

        return Task.FromResult(_calls.TryGetValue(id, out var call) ? new ConsultationUpdate(id, "InCall", null, 0, 0, call.RoomId) : null);
    });

    /// <summary>Who waits (in order, with place and estimate) and who is in a call: the staff console's live queue.</summary>
    public Task<QueueSnapshot> SnapshotAsync() => Ask(() => Task.FromResult(new QueueSnapshot(
        Category,
        CategoryName,
        _waiting.Select(e =>
        {
            var (position, estimate) = PositionOf(e);
            return new QueuedRequest(e.Id, e.SiteId, e.SiteOrgPath, e.RequestedUtc, position, estimate, e.RingingExpert);
        }).ToList(),
        _calls.Values.Select(c => new ActiveCall(c.Origin.Id, c.Origin.SiteId, c.Origin.SiteOrgPath, c.StationOrgPath, c.Origin.RequestedUtc, c.ExpertId)).ToList())));

    // ---- dispatching ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Offers waiting requests, oldest first, to free experts; a request every working expert has already declined or
    /// let ring out, or one nobody of the category is working for any more, becomes a call-back request (回访).
    /// </summary>
    private async Task PumpAsync()
    {
        Volatile.Write(ref _pumpPending, 0);
        foreach (var entry in _waiting.ToList())
        {
            if (entry.RingingExpert is not null)
            {
                continue;
            }

            var expert = _board.Reserve(Category, entry.Id, entry.Tried, entry.TargetExpert, entry.TownshipPrefix);
            if (expert is null && entry.TargetExpert is not null && _board.Find(entry.TargetExpert.Value) is { } target && (target.CallFor is not null || target.OfferFor is not null || target.Presence != ExpertPresence.Available))
            {
                entry.TargetExpert = null; // the named expert cannot take it now: back to the category
                expert = _board.Reserve(Category, entry.Id, entry.Tried, null, entry.TownshipPrefix);
            }

            if (expert is not null)
            {
                await OfferAsync(entry, expert);
            }
            else if (_board.FreeCount(Category) == 0)
            {
                break;
            }
        }

        var staffed = _board.Staffed(Category);
        foreach (var entry in _waiting.Where(e => e.RingingExpert is null).ToList())
        {
            if (staffed.All(entry.Tried.Contains))
            {
                await CloseWaitingAsync(entry, ConsultationOutcome.Callback);
            }
        }

        _dirty = true;
    }

    private async Task OfferAsync(QueueEntry entry, ExpertSnapshot expert)
    {
        var now = Now;
        var offerId = Guid.NewGuid();
        try
        {
            await WithDbAsync(async db =>
            {
                db.ConsultationOffers.Add(new ConsultationOffer { Id = offerId, ConsultationId = entry.Id, ExpertId = expert.Id, OfferedUtc = now });
                await db.SaveChangesAsync(_stopping);
                await db.Consultations.Where(c => c.Id == entry.Id).ExecuteUpdateAsync(
                    s => s.SetProperty(c => c.Status, ConsultationStatus.Ringing).SetProperty(c => c.OfferedUtc, c => c.OfferedUtc ?? now), _stopping);
            });
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            _board.ReleaseOffer(expert.Id, entry.Id);
            LogStepFailed(_logger, Category, ex);
            return;
        }

        entry.RingingExpert = expert.Id;
        entry.RingingUser = expert.UserId;
        entry.OfferId = offerId;
        entry.OfferedUtc = now;
        LogOffered(_logger, entry.Id, expert.Id, entry.Sequence);
        if (expert.UserId is null)
        {
            await RingPhoneAsync(entry, expert, offerId);
            return;
        }

        _notify.Expert(expert.UserId, "consultationOffered", OfferOf(entry));
        _ = RingAsync(entry.Id, offerId); // the ring timer posts back into this queue; nothing awaits it
    }

    /// <summary>
    /// A roster-only expert (no login) is rung on the station's SIP phone: the hub dials it into a room made for this
    /// request, for as long as an app offer would ring. The dial runs apart from the queue's turn and posts its outcome
    /// back; withdrawing the offer cancels it.
    /// </summary>
    private async Task RingPhoneAsync(QueueEntry entry, ExpertSnapshot expert, Guid offerId)
    {
        if (entry.RoomId is null && entry.PhoneRoomId is null)
        {
            await WithDbAsync(async db =>
            {
                var unit = await db.OrgUnits.FirstAsync(u => u.Id == entry.SiteOrgUnitId, _stopping);
                entry.PhoneRoomId = (await RoomService.CreateAsync(db, $"服务面对面·{CategoryName}", unit, null, Now, _stopping)).Id;
                await db.SaveChangesAsync(_stopping);
            });
        }

        var roomId = (entry.RoomId ?? entry.PhoneRoomId)!.Value;
        var ring = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        entry.PhoneRing = ring;
        _ = DialPhoneAsync(entry.Id, offerId, expert, roomId, ring);
    }

    private async Task DialPhoneAsync(Guid id, Guid offerId, ExpertSnapshot expert, Guid roomId, CancellationTokenSource ring)
    {
        StationRing outcome;
        try
        {
            outcome = await _owner.RingStationPhoneAsync(roomId, expert.StationSiteId, TimeSpan.FromSeconds(_options.RingSeconds), ring.Token);
        }
        catch (OperationCanceledException)
        {
            outcome = new StationRing(null, OfferResponse.Withdrawn, "cancelled");
        }
#pragma warning disable CA1031 // A failed dial is a ring nobody answered; the request goes on to the next expert.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogStepFailed(_logger, Category, ex);
            outcome = new StationRing(null, OfferResponse.NoAnswer, ex.Message);
        }
        finally
        {
            ring.Dispose();
        }

        Tell(() => PhoneRangAsync(id, offerId, expert, roomId, outcome));
    }

    private async Task PhoneRangAsync(Guid id, Guid offerId, ExpertSnapshot expert, Guid roomId, StationRing ring)
    {
        var entry = _waiting.Find(e => e.Id == id);
        if (entry is null || entry.OfferId != offerId)
        {
            if (ring.Leg is not null)
            {
                _owner.HangUp(roomId, ring.Leg.Id); // answered just as the villager left
            }

            return;
        }

        entry.PhoneRing = null;
        if (ring.Leg is null)
        {
            // The station's other roster-only experts answer on the same phone: it is not rung again for this request.
            foreach (var other in _board.PhoneExperts(expert.StationSiteId))
            {
                entry.Tried.Add(other);
            }

            LogPhoneNotAnswered(_logger, id, expert.Id, ring.Detail);
            await EndOfferAndKickAsync(entry, ring.Response);
            return;
        }

        await ConnectAsync(entry, expert.Id, offerId);
        _owner.WhenLegLeaves(roomId, ring.Leg.Id, () => Tell(() => PhoneHungUpAsync(id, expert.Id)));
    }

    /// <summary>The expert put the station's phone down: the consultation ends as if they pressed end.</summary>
    private Task PhoneHungUpAsync(Guid id, Guid expertId) =>
        _calls.TryGetValue(id, out var call) && call.ExpertId == expertId ? EndCallAsync(id, new ConsultationCaller(null, expertId, false)) : Task.CompletedTask;

    private static void StopPhoneRing(QueueEntry entry)
    {
        try
        {
            entry.PhoneRing?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The dial already ended.
        }

        entry.PhoneRing = null;
    }

    private async Task RingAsync(Guid id, Guid offerId)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_options.RingSeconds), _clock, _stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Tell(() => OfferExpiredAsync(id, offerId));
    }

    /// <summary>Closes a request that never reached an expert: abandoned by the villager, or a call-back (回访).</summary>
    private async Task CloseWaitingAsync(QueueEntry entry, ConsultationOutcome outcome)
    {
        var now = Now;
        await WithDbAsync(db => db.Consultations.Where(c => c.Id == entry.Id).ExecuteUpdateAsync(
            s => s.SetProperty(c => c.Status, ConsultationStatus.Closed).SetProperty(c => c.Outcome, outcome).SetProperty(c => c.EndedUtc, now).SetProperty(c => c.TargetExpertId, (Guid?)null), _stopping));
        if ((entry.RoomId ?? entry.PhoneRoomId) is { } roomId)
        {
            // A transferred call nobody took (the room the villager waits in), or the room made to ring phones: closed too.
            await WithDbAsync(db => db.Rooms.IgnoreQueryFilters().Where(r => r.Id == roomId && r.ClosedUtc == null).ExecuteUpdateAsync(s => s.SetProperty(r => r.ClosedUtc, now), _stopping));
            _owner.CloseRoomMedia(roomId);
        }

        _waiting.Remove(entry);
        _owner.Forget(entry.Id);
        LogClosedWaiting(_logger, entry.Id, outcome);
        _notify.Kiosk(entry.SiteId, new ConsultationUpdate(entry.Id, "Closed", outcome.ToString(), 0, 0, null));
        _notify.Staff(entry.SiteOrgPath, null, Changed(entry.Id, entry.SiteId, "Closed", outcome.ToString()));
        _dirty = true;
    }

    // ---- positions -----------------------------------------------------------------------------------------------

    private void Insert(QueueEntry entry)
    {
        var index = _waiting.FindIndex(e => e.Sequence > entry.Sequence);
        _waiting.Insert(index < 0 ? _waiting.Count : index, entry);
        _dirty = true;
    }

    /// <summary>1-based place in the queue (a ringing request counts), and a wait estimate from recent talk times.</summary>
    private (int Position, int Estimate) PositionOf(QueueEntry entry)
    {
        var position = _waiting.IndexOf(entry) + 1;
        if (entry.RingingExpert is not null)
        {
            return (position, 0);
        }

        var staffed = Math.Max(1, _board.Staffed(Category).Count);
        var ahead = Math.Max(0, position - _board.FreeCount(Category));
        var rounds = (int)Math.Ceiling(ahead / (double)staffed);
        return (position, (int)Math.Round(rounds * AverageTalkSeconds()));
    }

    private double AverageTalkSeconds() => _talkSeconds.Count == 0 ? _options.DefaultTalkSecondsEstimate : _talkSeconds.Average();

    private void RememberTalk(double seconds)
    {
        _talkSeconds.Enqueue(Math.Max(1, seconds));
        while (_talkSeconds.Count > 50)
        {
            _talkSeconds.Dequeue();
        }
    }

    private async Task PushPositionsLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.PositionPushMilliseconds), _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping))
            {
                if (_dirty)
                {
                    _dirty = false;
                    Tell(PushPositions);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private Task PushPositions()
    {
        foreach (var entry in _waiting)
        {
            var now = PositionOf(entry);
            if (now != entry.LastPushed)
            {
                entry.LastPushed = now;
                _notify.Kiosk(entry.SiteId, new ConsultationUpdate(entry.Id, entry.RingingExpert is null ? "Queued" : "Ringing", null, now.Position, now.Estimate, entry.RoomId));
            }
        }

        return Task.CompletedTask;
    }

    private OfferView OfferOf(QueueEntry e) =>
        new(e.Id, e.OfferId ?? Guid.Empty, Category, e.SiteId, e.PersonMasked, e.RequestedUtc, e.OfferedUtc, e.OfferedUtc.AddSeconds(_options.RingSeconds), e.RoomId);

    private object Changed(Guid id, Guid siteId, string status, string? outcome) => new { id, siteId, category = Category, status, outcome };

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Consultation {Id} requested: {Category} from site {SiteId}, sequence {Sequence}, staffed {Staffed}")]
    private static partial void LogRequested(ILogger logger, Guid id, string category, Guid siteId, long sequence, bool staffed);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Consultation {Id} (sequence {Sequence}) offered to expert {ExpertId}")]
    private static partial void LogOffered(ILogger logger, Guid id, Guid expertId, long sequence);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Offer of consultation {Id} to expert {ExpertId} ended: {Response}")]
    private static partial void LogOfferEnded(ILogger logger, Guid id, Guid expertId, OfferResponse response);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Consultation {Id} answered by expert {ExpertId} in room {RoomId} after {WaitSeconds:F1} s")]
    private static partial void LogAnswered(ILogger logger, Guid id, Guid expertId, Guid roomId, double waitSeconds);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Consultation {Id} ended after {TalkSeconds:F1} s of talk")]
    private static partial void LogEnded(ILogger logger, Guid id, double talkSeconds);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "Consultation {Id} closed without an expert: {Outcome}")]
    private static partial void LogClosedWaiting(ILogger logger, Guid id, ConsultationOutcome outcome);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "Consultation {Id} transferred from {From} to {To} (expert {ExpertId})")]
    private static partial void LogTransferred(ILogger logger, Guid id, string from, string to, Guid? expertId);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Information, Message = "Consultation {Id}: the station phone of expert {ExpertId} was not answered ({Detail})")]
    private static partial void LogPhoneNotAnswered(ILogger logger, Guid id, Guid expertId, string detail);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Error, Message = "A step of the {Category} queue failed")]
    private static partial void LogStepFailed(ILogger logger, string category, Exception ex);
}

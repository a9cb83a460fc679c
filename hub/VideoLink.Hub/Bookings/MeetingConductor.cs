using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Notices;
using VideoLink.Hub.Security;
using VideoLink.Hub.Stations;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.StationAgent.Contracts;

namespace VideoLink.Hub.Bookings;

/// <summary>The moments of one occurrence, each fired by a Quartz trigger.</summary>
public enum MeetingPhase
{
    Reminder,
    Prepare,
    Launch,
    Retry,
    Warn,
    End,
}

/// <summary>
/// Runs an occurrence through its phases: reminder notice, site preparation (agents: display, input, camera preset,
/// tally), launch (room + dials for AutoConnect), dial retries, the end warning, and the end (room closed, devices
/// released). Every phase is idempotent (state in <see cref="MeetingRun"/>/<see cref="MeetingDial"/>), so a phase fired
/// twice — recovery after a crash, a re-armed trigger — does no harm. A site that fails never blocks the others.
/// </summary>
public sealed partial class MeetingConductor(
    IServiceScopeFactory scopes,
    IMeetingLauncher launcher,
    StationControl stations,
    PreparationPlans plans,
    NoticeService notices,
    VideoLink.Hub.Realtime.OrgTreeBroadcaster broadcaster,
    TimeProvider clock,
    IOptions<BookingOptions> options,
    ILogger<MeetingConductor> logger)
{
    public async Task RunPhaseAsync(Guid bookingId, DateTime occurrenceUtc, MeetingPhase phase, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var booking = await db.Bookings.Include(b => b.Sites).Include(b => b.Changes).FirstOrDefaultAsync(b => b.Id == bookingId, cancellationToken);
        var occurrence = booking is null ? null : BookingCalendar.Find(booking, occurrenceUtc);
        var run = await db.MeetingRuns.FirstOrDefaultAsync(r => r.BookingId == bookingId && r.OccurrenceStartUtc == occurrenceUtc, cancellationToken);
        if (booking is null || occurrence is null || booking.CancelledUtc is not null)
        {
            // Cancelled or removed since the trigger was armed: only an end still has work (a room left open).
            if (run is { RoomId: not null, EndedUtc: null })
            {
                await EndAsync(db, run, booking, cancellationToken);
            }

            return;
        }

        LogPhase(logger, phase, booking.Id, occurrence.StartUtc);
        switch (phase)
        {
            case MeetingPhase.Reminder:
                await RemindAsync(db, booking, occurrence, cancellationToken);
                break;
            case MeetingPhase.Prepare:
                run ??= await RunAsync(db, booking, occurrence, cancellationToken);
                if (run.PreparedUtc is null && run.EndedUtc is null)
                {
                    await PrepareSitesAsync(db, booking, release: false, cancellationToken);
                    run.PreparedUtc = Now;
                    await db.SaveChangesAsync(cancellationToken);
                }

                break;
            case MeetingPhase.Launch:
                run ??= await RunAsync(db, booking, occurrence, cancellationToken);
                await LaunchAsync(db, booking, occurrence, run, cancellationToken);
                break;
            case MeetingPhase.Retry:
                if (run is { RoomId: not null, EndedUtc: null } && Now < occurrence.EndUtc && booking.LaunchMode == LaunchMode.AutoConnect)
                {
                    await DialAllAsync(db, booking, run, retry: true, cancellationToken);
                }

                break;
            case MeetingPhase.Warn:
                if (run is { RoomId: not null, EndedUtc: null, WarnedUtc: null })
                {
                    run.WarnedUtc = Now;
                    await db.SaveChangesAsync(cancellationToken);
                    var minutes = (int)Math.Round((occurrence.EndUtc - Now).TotalMinutes);
                    await SendAsync(db, booking, NoticeService.KindWarning, $"会议即将结束: {booking.Title}", $"会议将在 {minutes} 分钟后结束。", cancellationToken);
                }

                break;
            case MeetingPhase.End:
                if (run is not null && run.EndedUtc is null)
                {
                    await EndAsync(db, run, booking, cancellationToken);
                }

                break;
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<MeetingRun> RunAsync(VideoLinkDbContext db, Booking booking, Occurrence occurrence, CancellationToken ct)
    {
        var run = new MeetingRun
        {
            Id = Guid.NewGuid(),
            BookingId = booking.Id,
            OccurrenceStartUtc = occurrence.OriginalStartUtc,
            StartUtc = occurrence.StartUtc,
            EndUtc = occurrence.EndUtc,
            OrgPath = booking.OrgPath,
        };
        db.MeetingRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }

    private async Task LaunchAsync(VideoLinkDbContext db, Booking booking, Occurrence occurrence, MeetingRun run, CancellationToken ct)
    {
        if (run.EndedUtc is not null)
        {
            return;
        }

        if (Now >= occurrence.EndUtc)
        {
            // Misfire policy: a start missed while the hub was down launches on recovery only inside its window.
            run.Missed ??= "The hub was not running during the meeting's window.";
            await db.SaveChangesAsync(ct);
            LogMissed(logger, booking.Id, occurrence.StartUtc);
            return;
        }

        if (run.RoomId is null)
        {
            if (run.PreparedUtc is null)
            {
                // Not prepared ahead (prepareMinutes 0, or the hub was down): prepare now, but never hold the launch
                // for it — agents answer within their own timeout and failures are logged per site.
                run.PreparedUtc = Now;
                _ = PrepareInBackgroundAsync(booking.Id);
            }

            run.RoomId = await launcher.OpenRoomAsync(new MeetingRoomRequest(booking.Title, booking.OrganizerOrgUnitId, booking.MainVenueSiteId, booking.Recording), ct);
            run.LaunchedUtc = Now;
            await db.SaveChangesAsync(ct);
            LogLaunched(logger, booking.Id, occurrence.StartUtc, run.RoomId.Value, booking.LaunchMode);
            await PushLiveAsync(db, booking.Sites.Select(s => s.SiteId).ToList(), run, live: true, ct);
        }

        switch (booking.LaunchMode)
        {
            case LaunchMode.AutoConnect:
                await DialAllAsync(db, booking, run, retry: false, ct);
                break;
            case LaunchMode.OneTouch:
                await SendAsync(db, booking, NoticeService.KindJoinPrompt, $"会议已开始: {booking.Title}", "请在本站点终端一键入会。", ct);
                break;
            default:
                // Manual: the chair dials; Reservation: room and sites held, nothing dialled.
                break;
        }
    }

    private async Task PrepareInBackgroundAsync(Guid bookingId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
            var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
            var booking = await db.Bookings.Include(b => b.Sites).FirstAsync(b => b.Id == bookingId);
            await PrepareSitesAsync(db, booking, release: false, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogPrepareFailed(logger, Guid.Empty, ex);
        }
    }

    /// <summary>Dials every AutoConnect site that is not in the room, in parallel; each outcome is stored for the chair.</summary>
    private async Task DialAllAsync(VideoLinkDbContext db, Booking booking, MeetingRun run, bool retry, CancellationToken ct)
    {
        var siteIds = booking.Sites.Select(s => s.SiteId).ToList();
        var endpoints = await db.Endpoints.AsNoTracking().Where(e => siteIds.Contains(e.SiteId)).ToListAsync(ct);
        var dials = await db.MeetingDials.Where(d => d.RunId == run.Id).ToDictionaryAsync(d => d.SiteId, ct);
        var targets = new List<(MeetingDial Dial, SiteDialTarget Target)>();
        foreach (var siteId in siteIds)
        {
            // A SIP endpoint is dialled; a site with only an app endpoint gets a join prompt.
            var endpoint = endpoints.Where(e => e.SiteId == siteId).OrderBy(e => e.Kind == EndpointKind.Sip ? 0 : 1).ThenBy(e => e.SipUser).FirstOrDefault();
            if (!dials.TryGetValue(siteId, out var dial))
            {
                dial = new MeetingDial { Id = Guid.NewGuid(), RunId = run.Id, SiteId = siteId, EndpointId = endpoint?.Id, OrgPath = run.OrgPath };
                db.MeetingDials.Add(dial);
                dials[siteId] = dial;
            }

            if (endpoint is null)
            {
                dial.LastOutcome = "The site has no endpoint.";
                continue;
            }

            if (launcher.IsConnected(run.RoomId!.Value, endpoint.Id) || (endpoint.Kind != EndpointKind.Sip && dial.Attempts > 0) || dial.Attempts >= options.Value.MaxDialAttempts)
            {
                continue;
            }

            targets.Add((dial, new SiteDialTarget(siteId, endpoint.Id, endpoint.DisplayName, endpoint.Kind.ToString(), endpoint.SipUser, booking.Title)));
        }

        await db.SaveChangesAsync(ct);
        var outcomes = await Task.WhenAll(targets.Select(t => DialOneAsync(run.RoomId!.Value, t.Target, ct)));
        for (var i = 0; i < targets.Count; i++)
        {
            var (dial, target) = targets[i];
            var outcome = outcomes[i];
            dial.Attempts++;
            dial.LastAttemptUtc = Now;
            dial.LastOutcome = $"{outcome.Status}: {outcome.Detail}";
            if (outcome.Status == SiteDialStatus.Connected)
            {
                dial.ConnectedUtc = Now;
            }
            else if (outcome.Status == SiteDialStatus.JoinPrompted)
            {
                await SendAsync(db, booking, NoticeService.KindJoinPrompt, $"请入会: {booking.Title}", "会议已开始,请点击入会。", ct, [target.SiteId]);
            }
            else
            {
                LogDialFailed(logger, target.SiteId, booking.Id, outcome.Status, retry);
            }
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task<SiteDialResult> DialOneAsync(Guid roomId, SiteDialTarget target, CancellationToken ct)
    {
        try
        {
            return await launcher.ConnectAsync(roomId, target, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One site's failure is recorded and retried; it never stops the other sites' dials.
            return new SiteDialResult(SiteDialStatus.Unreachable, ex.Message);
        }
    }

    private async Task EndAsync(VideoLinkDbContext db, MeetingRun run, Booking? booking, CancellationToken ct)
    {
        if (run.RoomId is { } roomId)
        {
            await launcher.CloseRoomAsync(roomId, ct);
        }

        run.EndedUtc = Now;
        await db.SaveChangesAsync(ct);
        LogEnded(logger, run.BookingId, run.StartUtc);
        if (booking is not null && run.RoomId is not null)
        {
            await PushLiveAsync(db, booking.Sites.Select(s => s.SiteId).ToList(), run, live: false, ct);
        }

        if (booking is not null && run.PreparedUtc is not null)
        {
            await PrepareSitesAsync(db, booking, release: true, ct);
        }
    }

    /// <summary>
    /// Tells the consoles that can see an invited site that its meeting is now running (or over), so a site terminal
    /// (会场终端) lists it at once instead of on its next refresh — whatever the launch mode. Best effort: the run's row
    /// is what counts, and the page still refreshes on its own.
    /// </summary>
    private async Task PushLiveAsync(VideoLinkDbContext db, List<Guid> siteIds, MeetingRun run, bool live, CancellationToken ct)
    {
        try
        {
            var paths = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).Select(s => s.OrgPath).Distinct().ToListAsync(ct);
            foreach (var path in paths)
            {
                await broadcaster.SendAsync(path, "meetingLive", new { bookingId = run.BookingId, roomId = run.RoomId, live }, ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPushFailed(logger, run.BookingId, ex);
        }
    }

    private async Task RemindAsync(VideoLinkDbContext db, Booking booking, Occurrence occurrence, CancellationToken ct)
    {
        if (!TryZone(booking, out var zone))
        {
            return;
        }

        var local = TimeZoneInfo.ConvertTimeFromUtc(occurrence.StartUtc, zone);
        await SendAsync(db, booking, NoticeService.KindReminder, $"会议提醒: {booking.Title}",
            $"会议将于 {local:yyyy-MM-dd HH:mm} ({booking.TimeZone}) 开始。", ct);
    }

    /// <summary>Prepares (or releases) every site of the booking in parallel; an offline agent or failed device is logged.</summary>
    private async Task PrepareSitesAsync(VideoLinkDbContext db, Booking booking, bool release, CancellationToken ct)
    {
        var siteIds = booking.Sites.Select(s => s.SiteId).ToList();
        var sites = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToListAsync(ct);
        await Task.WhenAll(sites.Select(async site =>
        {
            try
            {
                var result = await stations.PrepareAsync(site.Id, new PreparationRequest(release ? "release" : "prepare", null, Now, plans.For(site.Kind, release)), ct);
                LogPrepared(logger, site.Id, release, result.Steps.Count(s => s.Outcome == CommandOutcome.Ok), result.Steps.Count);
            }
            catch (SiteOfflineException)
            {
                LogSiteOffline(logger, site.Id, release);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogPrepareFailed(logger, site.Id, ex);
            }
        }));
    }

    private Task SendAsync(VideoLinkDbContext db, Booking booking, string kind, string title, string body, CancellationToken ct, IReadOnlyList<Guid>? sites = null) =>
        notices.SendAsync(db, new NewNotice(title, body, kind, new NoticeTargets(null, sites ?? booking.Sites.Select(s => s.SiteId).ToList(), booking.CreatedByUserId is { } u ? [u] : null),
            booking.OrganizerOrgUnitId, booking.CreatedByUserId, booking.Id), ct);

    private static bool TryZone(Booking booking, out TimeZoneInfo zone) => BookingCalendar.TryFindZone(booking.TimeZone, out zone);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Booking {BookingId} occurrence {Start:o}: {Phase}")]
    private static partial void LogPhase(ILogger logger, MeetingPhase phase, Guid bookingId, DateTime start);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Booking {BookingId} occurrence {Start:o} launched in room {RoomId} ({LaunchMode})")]
    private static partial void LogLaunched(ILogger logger, Guid bookingId, DateTime start, Guid roomId, LaunchMode launchMode);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Booking {BookingId} occurrence {Start:o} missed: its window passed while the hub was down")]
    private static partial void LogMissed(ILogger logger, Guid bookingId, DateTime start);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Site {SiteId} of booking {BookingId} not connected: {Status} (retry {Retry})")]
    private static partial void LogDialFailed(ILogger logger, Guid siteId, Guid bookingId, SiteDialStatus status, bool retry);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, Message = "Booking {BookingId} occurrence {Start:o} ended")]
    private static partial void LogEnded(ILogger logger, Guid bookingId, DateTime start);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Information, Message = "Site {SiteId} prepared (release {Release}): {Ok}/{Total} steps ok")]
    private static partial void LogPrepared(ILogger logger, Guid siteId, bool release, int ok, int total);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Warning, Message = "Site {SiteId} agent offline; preparation skipped (release {Release})")]
    private static partial void LogSiteOffline(ILogger logger, Guid siteId, bool release);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Warning, Message = "Pushing the live state of booking {BookingId} to consoles failed")]
    private static partial void LogPushFailed(ILogger logger, Guid bookingId, Exception exception);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Warning, Message = "Preparing site {SiteId} failed")]
    private static partial void LogPrepareFailed(ILogger logger, Guid siteId, Exception ex);
}

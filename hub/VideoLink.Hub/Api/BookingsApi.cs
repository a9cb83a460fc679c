using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Bookings;
using VideoLink.Hub.Notices;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

public sealed record BookingRequest(
    string? Title,
    Guid? OrganizerOrgUnitId,
    string? Start,
    string? End,
    string? TimeZone,
    string? Recurrence,
    List<Guid>? SiteIds,
    Guid? MainVenueSiteId,
    LaunchMode? LaunchMode,
    bool? Recording,
    int? PrepareMinutes);

public sealed record OccurrenceChangeRequest(string? Start, string? End);

public sealed record OccurrenceView(string OriginalStart, string Start, string End, bool Moved);

public sealed record BookingView(
    Guid Id,
    string Title,
    Guid OrganizerOrgUnitId,
    string Start,
    string End,
    string TimeZone,
    string? Recurrence,
    IReadOnlyList<Guid> SiteIds,
    Guid MainVenueSiteId,
    LaunchMode LaunchMode,
    bool Recording,
    int PrepareMinutes,
    bool Cancelled,
    int Sequence,
    IReadOnlyList<OccurrenceView> Occurrences);

public sealed record DialView(Guid SiteId, Guid? EndpointId, int Attempts, string? LastAttempt, string? LastOutcome, string? Connected);

public sealed record RunView(Guid BookingId, string OriginalStart, string Start, string End, Guid? RoomId, string? Prepared, string? Launched, string? Warned, string? Ended, string? Missed, IReadOnlyList<DialView> Dials);

public sealed record ConflictView(Guid SiteId, Guid BookingId, string? Title, string Start, string End, string RequestedStart);

/// <summary>
/// Bookings: create (with an optional RRULE), list by time window, read, edit the series or one occurrence, cancel the
/// series or one occurrence, iCalendar export, and the run status of an occurrence (dial outcomes for the chair).
/// A site already booked in an overlapping slot is a 409 listing every conflict.
/// </summary>
internal static class BookingsApi
{
    /// <summary>Conflicts of an open-ended series are checked this far ahead.</summary>
    public static readonly TimeSpan ConflictHorizon = TimeSpan.FromDays(366);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxListWindow = TimeSpan.FromDays(366);
    public const int MaxSites = 500;
    public const int DefaultPrepareMinutes = 10;

    public static RouteGroupBuilder MapBookingsApi(this RouteGroupBuilder api)
    {
        var bookings = api.MapGroup("/bookings").WithTags("Bookings");
        bookings.MapGet("/", ListAsync).RequireAuthorization(Policies.DirectoryRead);
        bookings.MapPost("/", CreateAsync).RequireAuthorization(Policies.RoomHost);
        bookings.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.DirectoryRead);
        bookings.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.RoomHost);
        bookings.MapDelete("/{id:guid}", CancelAsync).RequireAuthorization(Policies.RoomHost);
        bookings.MapGet("/{id:guid}.ics", IcsAsync).RequireAuthorization(Policies.DirectoryRead);
        bookings.MapGet("/{id:guid}/occurrences/{start}", RunAsync).RequireAuthorization(Policies.DirectoryRead);
        bookings.MapPut("/{id:guid}/occurrences/{start}", ChangeOccurrenceAsync).RequireAuthorization(Policies.RoomHost);
        bookings.MapDelete("/{id:guid}/occurrences/{start}", CancelOccurrenceAsync).RequireAuthorization(Policies.RoomHost);
        return api;
    }

    private static async Task<IResult> ListAsync(string? from, string? to, VideoLinkDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var check = new Validation();
        DateTime fromUtc = now.Date.AddDays(-1), toUtc = default;
        check.Require(from is null || BookingTimes.TryParse(from, TimeZoneInfo.Utc, out fromUtc), "from", "must be a date-time (ISO 8601)");
        toUtc = fromUtc.AddDays(31);
        check.Require(to is null || BookingTimes.TryParse(to, TimeZoneInfo.Utc, out toUtc), "to", "must be a date-time (ISO 8601)");
        if (check.IsValid)
        {
            check.Require(toUtc > fromUtc, "to", "must be after from");
            check.Require(toUtc - fromUtc <= MaxListWindow, "to", $"the window is at most {MaxListWindow.TotalDays} days");
        }

        if (!check.IsValid)
        {
            return check.Problem();
        }

        var rows = await db.Bookings.AsNoTracking().Include(b => b.Sites).Include(b => b.Changes)
            .Where(b => b.CancelledUtc == null && b.StartUtc < toUtc.Add(BookingCalendar.MaxMove) && (b.SeriesEndUtc == null || b.SeriesEndUtc > fromUtc.Add(-BookingCalendar.MaxMove)))
            .OrderBy(b => b.StartUtc).Take(2000).ToListAsync(ct);
        var views = rows.Select(b => View(b, BookingCalendar.Occurrences(b, fromUtc, toUtc))).Where(v => v.Occurrences.Count > 0).ToList();
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var booking = await LoadAsync(db, id, ct);
        if (booking is null)
        {
            return ApiProblems.NotFound("The booking");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var from = booking.StartUtc < now ? now.AddDays(-1) : booking.StartUtc;
        return TypedResults.Ok(View(booking, BookingCalendar.Occurrences(booking, from, from.AddDays(92)).Take(100).ToList()));
    }

    private static async Task<IResult> CreateAsync(BookingRequest request, VideoLinkDbContext db, ClaimsPrincipal user, TimeProvider clock,
        BookingScheduler scheduler, NoticeService notices, CancellationToken ct)
    {
        var unitId = request.OrganizerOrgUnitId ?? Guid.Parse(user.FindFirstValue(BearerAuthenticationHandler.OrgUnitClaim)!);
        var unit = await db.VisibleUnitAsync(unitId, ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The organizer org unit");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var booking = new Booking
        {
            Id = Guid.NewGuid(),
            Title = "",
            TimeZone = BookingCalendar.DefaultTimeZone,
            OrganizerOrgUnitId = unit.Id,
            CreatedByUserId = db.Scope.UserId,
            CreatedUtc = now,
            OrgPath = unit.OrgPath,
        };
        var problem = await ApplyAsync(booking, request, db, now, isNew: true, ct);
        if (problem is not null)
        {
            return problem;
        }

        var conflicts = await ConflictsAsync(db, booking, now, ct);
        if (conflicts.Count > 0)
        {
            return ConflictProblem(conflicts);
        }

        db.Bookings.Add(booking);
        await db.SaveChangesAsync(ct);
        await scheduler.ArmAsync(booking, ct);
        await NotifyAsync(db, notices, booking, NoticeService.KindBooking, $"会议通知: {booking.Title}", ct);
        return TypedResults.Created($"/api/bookings/{booking.Id}", View(booking, BookingCalendar.Occurrences(booking, booking.StartUtc, booking.StartUtc.AddDays(92)).Take(100).ToList()));
    }

    private static async Task<IResult> UpdateAsync(Guid id, BookingRequest request, VideoLinkDbContext db, TimeProvider clock, BookingScheduler scheduler, NoticeService notices, CancellationToken ct)
    {
        var booking = await db.Bookings.Include(b => b.Sites).Include(b => b.Changes).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (booking is null || booking.CancelledUtc is not null)
        {
            return ApiProblems.NotFound("The booking");
        }

        if (request.OrganizerOrgUnitId is { } unitId && unitId != booking.OrganizerOrgUnitId)
        {
            var unit = await db.VisibleUnitAsync(unitId, ct);
            if (unit is null)
            {
                return ApiProblems.NotFound("The organizer org unit");
            }

            booking.OrganizerOrgUnitId = unit.Id;
            booking.OrgPath = unit.OrgPath;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var before = (booking.StartUtc, booking.EndUtc, booking.Recurrence, booking.TimeZone);
        var problem = await ApplyAsync(booking, request, db, now, isNew: false, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (before != (booking.StartUtc, booking.EndUtc, booking.Recurrence, booking.TimeZone))
        {
            // The series' timing changed: per-occurrence changes refer to starts that may no longer exist.
            db.BookingOccurrenceChanges.RemoveRange(booking.Changes);
            booking.Changes.Clear();
        }

        var conflicts = await ConflictsAsync(db, booking, now, ct);
        if (conflicts.Count > 0)
        {
            return ConflictProblem(conflicts);
        }

        booking.Sequence++;
        await db.SaveChangesAsync(ct);
        await scheduler.ArmAsync(booking, ct);
        await NotifyAsync(db, notices, booking, NoticeService.KindBooking, $"会议变更: {booking.Title}", ct);
        return TypedResults.Ok(View(booking, BookingCalendar.Occurrences(booking, now, now.AddDays(92)).Take(100).ToList()));
    }

    private static async Task<IResult> CancelAsync(Guid id, VideoLinkDbContext db, TimeProvider clock, BookingScheduler scheduler, MeetingConductor conductor, NoticeService notices, CancellationToken ct)
    {
        var booking = await db.Bookings.Include(b => b.Sites).Include(b => b.Changes).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (booking is null || booking.CancelledUtc is not null)
        {
            return ApiProblems.NotFound("The booking");
        }

        booking.CancelledUtc = clock.GetUtcNow().UtcDateTime;
        booking.Sequence++;
        await db.SaveChangesAsync(ct);
        await scheduler.ArmAsync(booking, ct);
        foreach (var run in await db.MeetingRuns.AsNoTracking().Where(r => r.BookingId == id && r.RoomId != null && r.EndedUtc == null).ToListAsync(ct))
        {
            await conductor.RunPhaseAsync(id, run.OccurrenceStartUtc, MeetingPhase.End, ct);
        }

        await NotifyAsync(db, notices, booking, NoticeService.KindCancellation, $"会议取消: {booking.Title}", ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> IcsAsync(Guid id, VideoLinkDbContext db, HttpContext http, CancellationToken ct)
    {
        var booking = await LoadAsync(db, id, ct);
        if (booking is null)
        {
            return ApiProblems.NotFound("The booking");
        }

        var siteIds = booking.Sites.Select(s => s.SiteId).ToList();
        var names = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).OrderBy(s => s.Name).Select(s => s.Name).ToListAsync(ct);
        var text = ICalendarWriter.Write(booking, names, http.Request.Host.Host);
        return Results.Text(text, ICalendarWriter.ContentType, System.Text.Encoding.UTF8);
    }

    private static async Task<IResult> RunAsync(Guid id, string start, VideoLinkDbContext db, CancellationToken ct)
    {
        var (booking, original, problem) = await OccurrenceAsync(db, id, start, ct);
        if (problem is not null)
        {
            return problem;
        }

        var occurrence = BookingCalendar.Find(booking!, original);
        var run = await db.MeetingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.BookingId == id && r.OccurrenceStartUtc == original, ct);
        var dials = run is null ? [] : await db.MeetingDials.AsNoTracking().Where(d => d.RunId == run.Id).OrderBy(d => d.SiteId).ToListAsync(ct);
        return TypedResults.Ok(new RunView(
            id,
            BookingTimes.Format(original),
            BookingTimes.Format(occurrence?.StartUtc ?? original),
            BookingTimes.Format(occurrence?.EndUtc ?? original + (booking!.EndUtc - booking.StartUtc)),
            run?.RoomId,
            Fmt(run?.PreparedUtc),
            Fmt(run?.LaunchedUtc),
            Fmt(run?.WarnedUtc),
            Fmt(run?.EndedUtc),
            run?.Missed,
            dials.Select(d => new DialView(d.SiteId, d.EndpointId, d.Attempts, Fmt(d.LastAttemptUtc), d.LastOutcome, Fmt(d.ConnectedUtc))).ToList()));
    }

    private static async Task<IResult> ChangeOccurrenceAsync(Guid id, string start, OccurrenceChangeRequest request, VideoLinkDbContext db, TimeProvider clock,
        BookingScheduler scheduler, NoticeService notices, CancellationToken ct)
    {
        var (booking, original, problem) = await OccurrenceAsync(db, id, start, ct);
        if (problem is not null)
        {
            return problem;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        BookingCalendar.TryFindZone(booking!.TimeZone, out var zone);
        var current = BookingCalendar.Find(booking, original);
        var check = new Validation();
        check.Require(current is not null, "start", "this occurrence is cancelled");
        DateTime newStart = current?.StartUtc ?? original, newEnd = current?.EndUtc ?? original;
        check.Require(request.Start is null || BookingTimes.TryParse(request.Start, zone, out newStart), "start", "must be a date-time (ISO 8601; without an offset it is read in the booking's time zone)");
        check.Require(request.End is null || BookingTimes.TryParse(request.End, zone, out newEnd), "end", "must be a date-time");
        if (check.IsValid)
        {
            check.Require(newEnd > newStart, "end", "must be after start");
            check.Require(newEnd - newStart <= MaxDuration, "end", "a meeting lasts at most 24 hours");
            check.Require(newStart > now, "start", "is in the past");
            check.Require((newStart - original).Duration() <= BookingCalendar.MaxMove, "start", $"an occurrence moves at most {BookingCalendar.MaxMove.TotalDays} days");
        }

        if (!check.IsValid)
        {
            return check.Problem();
        }

        var change = booking.Changes.FirstOrDefault(c => c.OriginalStartUtc == original);
        if (change is null)
        {
            change = new BookingOccurrenceChange { Id = Guid.NewGuid(), BookingId = booking.Id, OriginalStartUtc = original };
            booking.Changes.Add(change);
            db.BookingOccurrenceChanges.Add(change);
        }

        change.StartUtc = newStart;
        change.EndUtc = newEnd;
        var proposed = new List<Occurrence> { new(booking.Id, original, newStart, newEnd, true) };
        var conflicts = await ConflictsAsync(db, booking, proposed, ct);
        if (conflicts.Count > 0)
        {
            return ConflictProblem(conflicts);
        }

        booking.Sequence++;
        await db.SaveChangesAsync(ct);
        await scheduler.ArmAsync(booking, ct);
        await NotifyAsync(db, notices, booking, NoticeService.KindBooking, $"会议时间变更: {booking.Title}", ct);
        return TypedResults.Ok(new OccurrenceView(BookingTimes.Format(original), BookingTimes.Format(newStart), BookingTimes.Format(newEnd), true));
    }

    private static async Task<IResult> CancelOccurrenceAsync(Guid id, string start, VideoLinkDbContext db, BookingScheduler scheduler, MeetingConductor conductor, NoticeService notices, CancellationToken ct)
    {
        var (booking, original, problem) = await OccurrenceAsync(db, id, start, ct);
        if (problem is not null)
        {
            return problem;
        }

        var change = booking!.Changes.FirstOrDefault(c => c.OriginalStartUtc == original);
        if (change is null)
        {
            change = new BookingOccurrenceChange { Id = Guid.NewGuid(), BookingId = booking.Id, OriginalStartUtc = original };
            booking.Changes.Add(change);
            db.BookingOccurrenceChanges.Add(change);
        }

        change.Cancelled = true;
        booking.Sequence++;
        await db.SaveChangesAsync(ct);
        await scheduler.ArmAsync(booking, ct);
        if (await db.MeetingRuns.AnyAsync(r => r.BookingId == id && r.OccurrenceStartUtc == original && r.RoomId != null && r.EndedUtc == null, ct))
        {
            await conductor.RunPhaseAsync(id, original, MeetingPhase.End, ct);
        }

        await NotifyAsync(db, notices, booking, NoticeService.KindCancellation, $"会议取消 ({BookingTimes.Format(original)}): {booking.Title}", ct);
        return TypedResults.NoContent();
    }

    /// <summary>Applies and validates a create or update request; null when valid, else a 400 naming each field.</summary>
    private static async Task<IResult?> ApplyAsync(Booking booking, BookingRequest r, VideoLinkDbContext db, DateTime now, bool isNew, CancellationToken ct)
    {
        var check = new Validation();
        if (isNew || r.Title is not null)
        {
            check.Text(r.Title, "title", 200);
        }

        var zoneId = r.TimeZone ?? booking.TimeZone;
        var zoneKnown = BookingCalendar.TryFindZone(zoneId, out var zone);
        check.Require(zoneId.Length <= 64 && zoneKnown, "timeZone", $"unknown time zone '{zoneId}' (IANA id, e.g. {BookingCalendar.DefaultTimeZone})");
        DateTime start = booking.StartUtc, end = booking.EndUtc;
        if (check.IsValid)
        {
            if (isNew || r.Start is not null)
            {
                check.Require(BookingTimes.TryParse(r.Start, zone, out start), "start", "is required: a date-time (ISO 8601; without an offset it is read in timeZone)");
            }

            if (isNew || r.End is not null)
            {
                check.Require(BookingTimes.TryParse(r.End, zone, out end), "end", "is required: a date-time (ISO 8601; without an offset it is read in timeZone)");
            }
        }

        if (check.IsValid)
        {
            check.Require(end > start, "end", "must be after start");
            check.Require(end - start <= MaxDuration, "end", "a meeting lasts at most 24 hours");
            if (isNew || r.Start is not null)
            {
                check.Require(start > now, "start", "is in the past");
            }
        }

        var recurrence = r.Recurrence is null ? booking.Recurrence : r.Recurrence.Trim().Length == 0 ? null : r.Recurrence.Trim();
        RecurrenceRule? rule = null;
        if (recurrence is not null)
        {
            check.Require(recurrence.Length <= 512, "recurrence", "at most 512 characters");
            if (!RecurrenceRule.TryParse(recurrence, out rule, out var error))
            {
                check.Require(false, "recurrence", error!);
            }
        }

        var prepare = r.PrepareMinutes ?? (isNew ? DefaultPrepareMinutes : booking.PrepareMinutes);
        check.Require(prepare is >= 0 and <= 1440, "prepareMinutes", "must be 0–1440");
        var siteIds = r.SiteIds ?? booking.Sites.Select(s => s.SiteId).ToList();
        check.Require(siteIds.Count > 0, "siteIds", "at least one site is required");
        check.Require(siteIds.Count <= MaxSites, "siteIds", $"at most {MaxSites} sites");
        check.Require(siteIds.Distinct().Count() == siteIds.Count, "siteIds", "a site is listed twice");
        var mainVenue = r.MainVenueSiteId ?? (isNew ? siteIds.FirstOrDefault() : booking.MainVenueSiteId);
        check.Require(siteIds.Contains(mainVenue), "mainVenueSiteId", "must be one of siteIds");
        if (siteIds.Count is > 0 and <= MaxSites)
        {
            var visible = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
            for (var i = 0; i < siteIds.Count; i++)
            {
                check.Require(visible.Contains(siteIds[i]), $"siteIds[{i}]", "unknown site");
            }
        }

        if (check.IsValid && rule is not null)
        {
            var starts = BookingCalendar.OriginalStarts(start, zoneId, rule, start + TimeSpan.FromDays(400)).Take(RecurrenceRule.MaxCount).ToList();
            var overlapping = starts.Zip(starts.Skip(1)).Any(p => p.First + (end - start) > p.Second);
            check.Require(!overlapping, "recurrence", "occurrences would overlap each other (the meeting is longer than the gap between repeats)");
        }

        if (!check.IsValid)
        {
            return check.Problem();
        }

        booking.Title = r.Title ?? booking.Title;
        booking.TimeZone = zoneId;
        booking.StartUtc = start;
        booking.EndUtc = end;
        booking.Recurrence = recurrence;
        booking.SeriesEndUtc = BookingCalendar.SeriesEnd(start, end, zoneId, rule);
        booking.LaunchMode = r.LaunchMode ?? booking.LaunchMode;
        booking.Recording = r.Recording ?? booking.Recording;
        booking.PrepareMinutes = prepare;
        booking.MainVenueSiteId = mainVenue;
        if (r.SiteIds is not null)
        {
            foreach (var gone in booking.Sites.Where(s => !siteIds.Contains(s.SiteId)).ToList())
            {
                booking.Sites.Remove(gone);
            }

            foreach (var added in siteIds.Where(s => booking.Sites.All(x => x.SiteId != s)))
            {
                booking.Sites.Add(new BookingSite { BookingId = booking.Id, SiteId = added });
            }
        }

        return null;
    }

    private static Task<List<BookingConflict>> ConflictsAsync(VideoLinkDbContext db, Booking booking, DateTime now, CancellationToken ct)
    {
        var from = booking.StartUtc > now ? booking.StartUtc : now;
        var proposed = BookingCalendar.Occurrences(booking, from, from + ConflictHorizon).Take(RecurrenceRule.MaxCount).ToList();
        return ConflictsAsync(db, booking, proposed, ct);
    }

    /// <summary>
    /// Other live bookings (anywhere in the district: a site cannot be in two meetings whoever booked them) sharing a
    /// site with <paramref name="booking"/> whose occurrences overlap <paramref name="proposed"/>. Titles of bookings
    /// outside the caller's subtree are withheld.
    /// </summary>
    private static async Task<List<BookingConflict>> ConflictsAsync(VideoLinkDbContext db, Booking booking, IReadOnlyList<Occurrence> proposed, CancellationToken ct)
    {
        if (proposed.Count == 0)
        {
            return [];
        }

        var siteIds = booking.Sites.Select(s => s.SiteId).ToList();
        var from = proposed.Min(o => o.StartUtc);
        var to = proposed.Max(o => o.EndUtc);
        var others = await db.Bookings.IgnoreQueryFilters().AsNoTracking().Include(b => b.Sites).Include(b => b.Changes)
            .Where(b => b.Id != booking.Id && b.CancelledUtc == null && b.Sites.Any(s => siteIds.Contains(s.SiteId))
                && b.StartUtc < to.Add(BookingCalendar.MaxMove) && (b.SeriesEndUtc == null || b.SeriesEndUtc > from.Add(-BookingCalendar.MaxMove)))
            .ToListAsync(ct);
        return BookingCalendar.Conflicts(proposed, siteIds, others.Select(o => (o, db.Scope.Covers(o.OrgPath))));
    }

    private static IResult ConflictProblem(List<BookingConflict> conflicts) =>
        TypedResults.Problem(
            title: "Conflict",
            detail: $"{conflicts.Count} conflict(s): a site is already booked in an overlapping slot.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?>
            {
                ["conflicts"] = conflicts.Take(200).Select(c => new ConflictView(c.SiteId, c.BookingId, c.Title, BookingTimes.Format(c.StartUtc), BookingTimes.Format(c.EndUtc), BookingTimes.Format(c.RequestedStartUtc))).ToList(),
            });

    private static async Task<(Booking? Booking, DateTime Original, IResult? Problem)> OccurrenceAsync(VideoLinkDbContext db, Guid id, string start, CancellationToken ct)
    {
        var booking = await db.Bookings.Include(b => b.Sites).Include(b => b.Changes).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (booking is null || booking.CancelledUtc is not null)
        {
            return (null, default, ApiProblems.NotFound("The booking"));
        }

        if (!BookingTimes.TryParseOccurrence(start, out var original))
        {
            return (null, default, new Validation().Require(false, "start", "must be the occurrence's original start, e.g. 2026-12-07T01:00:00Z").Problem());
        }

        return BookingCalendar.IsOriginalStart(booking, original) ? (booking, original, null) : (null, default, ApiProblems.NotFound("The occurrence"));
    }

    private static Task<Booking?> LoadAsync(VideoLinkDbContext db, Guid id, CancellationToken ct) =>
        db.Bookings.AsNoTracking().Include(b => b.Sites).Include(b => b.Changes).FirstOrDefaultAsync(b => b.Id == id, ct);

    private static Task NotifyAsync(VideoLinkDbContext db, NoticeService notices, Booking booking, string kind, string title, CancellationToken ct)
    {
        BookingCalendar.TryFindZone(booking.TimeZone, out var zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(booking.StartUtc, zone);
        var body = $"{booking.Title}\n时间: {local:yyyy-MM-dd HH:mm} ({booking.TimeZone})" + (booking.Recurrence is null ? "" : $"\n重复: {booking.Recurrence}");
        return notices.SendAsync(db, new NewNotice(title, body, kind,
            new NoticeTargets(null, booking.Sites.Select(s => s.SiteId).ToList(), booking.CreatedByUserId is { } u ? [u] : null),
            booking.OrganizerOrgUnitId, db.Scope.UserId, booking.Id), ct);
    }

    private static BookingView View(Booking b, IReadOnlyList<Occurrence> occurrences) => new(
        b.Id, b.Title, b.OrganizerOrgUnitId, BookingTimes.Format(b.StartUtc), BookingTimes.Format(b.EndUtc), b.TimeZone, b.Recurrence,
        b.Sites.Select(s => s.SiteId).ToList(), b.MainVenueSiteId, b.LaunchMode, b.Recording, b.PrepareMinutes, b.CancelledUtc is not null, b.Sequence,
        occurrences.Select(o => new OccurrenceView(BookingTimes.Format(o.OriginalStartUtc), BookingTimes.Format(o.StartUtc), BookingTimes.Format(o.EndUtc), o.Moved)).ToList());

    private static string? Fmt(DateTime? t) => t is { } v ? BookingTimes.Format(v) : null;
}

using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Conference;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Sip;

namespace VideoLink.Hub.Api;

public sealed record DialLegRequest(Guid? EndpointId, string? SipUri);

public sealed record LegRequest(Guid? LegId);

public sealed record PollingRequest(IReadOnlyList<Guid>? LegIds, int? IntervalSeconds);

public sealed record VideoModeRequest(string? Mode);

public sealed record LockRequest(bool? Locked);

public sealed record PinRequest(string? Pin);

public sealed record IntervalView(Guid Id, Guid LegId, string LegKind, string DisplayName, Guid? EndpointId, Guid? SiteId, DateTime JoinedUtc, DateTime? LeftUtc, string? LeftReason);

/// <summary>
/// The chair's controls of a live room (issue 5): legs (dial-out, kick, mute), who is seen (主会场 main venue, 点名 roll
/// call, 轮巡 polling, voice activation), lock and PIN, and the stored join/leave intervals. Every route is inside the
/// org-tree rule: a room outside the caller's subtree is simply not found.
/// </summary>
internal static class ConferenceApi
{
    public const int MaxPollingLegs = 64;
    public const int MinPollingSeconds = 2;
    public const int MaxPollingSeconds = 3600;

    public static RouteGroupBuilder MapConferenceApi(this RouteGroupBuilder api)
    {
        var room = api.MapGroup("/rooms/{id:guid}").WithTags("Conference");
        room.MapPost("/legs", DialAsync).RequireAuthorization(Policies.RoomHost);
        room.MapDelete("/legs/{legId:guid}", (Guid id, Guid legId, VideoLinkDbContext db, ConferenceService c, CancellationToken ct) =>
            OnLegAsync(id, legId, db, c, (r, l) => r.RemoveLeg(l, LeaveReasons.Kicked) ? ControlResult.Done : ControlResult.NoSuchLeg, ct)).RequireAuthorization(Policies.RoomHost);
        room.MapPost("/legs/{legId:guid}/mute", (Guid id, Guid legId, VideoLinkDbContext db, ConferenceService c, CancellationToken ct) =>
            OnLegAsync(id, legId, db, c, (r, l) => r.SetMuted(l, true), ct)).RequireAuthorization(Policies.RoomHost);
        room.MapPost("/legs/{legId:guid}/unmute", (Guid id, Guid legId, VideoLinkDbContext db, ConferenceService c, CancellationToken ct) =>
            OnLegAsync(id, legId, db, c, (r, l) => r.SetMuted(l, false), ct)).RequireAuthorization(Policies.RoomHost);
        room.MapPost("/mute-all", MuteAllAsync).RequireAuthorization(Policies.RoomHost);
        room.MapPut("/main-venue", (Guid id, LegRequest body, VideoLinkDbContext db, ConferenceService c, CancellationToken ct) =>
            OnBodyLegAsync(id, body, db, c, (r, l) => r.SetMainVenue(l), ct)).RequireAuthorization(Policies.RoomHost);
        room.MapPost("/roll-call", (Guid id, LegRequest body, VideoLinkDbContext db, ConferenceService c, CancellationToken ct) =>
            OnBodyLegAsync(id, body, db, c, (r, l) => r.RollCall(l), ct)).RequireAuthorization(Policies.RoomHost);
        room.MapDelete("/roll-call", (Guid id, VideoLinkDbContext db, ConferenceService c, CancellationToken ct) =>
            OnRoomAsync(id, db, c, r => r.EndRollCall(), ct)).RequireAuthorization(Policies.RoomHost);
        room.MapPost("/polling", StartPollingAsync).RequireAuthorization(Policies.RoomHost);
        room.MapDelete("/polling", (Guid id, VideoLinkDbContext db, ConferenceService c, CancellationToken ct) =>
            OnRoomAsync(id, db, c, r => r.StopPolling(), ct)).RequireAuthorization(Policies.RoomHost);
        room.MapPut("/video-mode", SetVideoModeAsync).RequireAuthorization(Policies.RoomHost);
        room.MapPut("/lock", LockAsync).RequireAuthorization(Policies.RoomHost);
        room.MapPut("/pin", PinAsync).RequireAuthorization(Policies.RoomHost);
        room.MapGet("/intervals", IntervalsAsync).RequireAuthorization(Policies.DirectoryRead);
        return api;
    }

    private static async Task<Room?> VisibleRoomAsync(Guid id, VideoLinkDbContext db, CancellationToken ct) =>
        await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.ClosedUtc == null, ct);

    private static async Task<(ConferenceRoom? Room, IResult? Problem)> LiveRoomAsync(Guid id, VideoLinkDbContext db, ConferenceService conferences, CancellationToken ct)
    {
        var row = await VisibleRoomAsync(id, db, ct);
        return row is null ? (null, ApiProblems.NotFound("The room")) : (conferences.Open(row), null);
    }

    private static IResult Outcome(ControlResult result) => result switch
    {
        ControlResult.Done => TypedResults.NoContent(),
        ControlResult.NoSuchLeg => ApiProblems.NotFound("The leg"),
        _ => new Validation().Require(false, "legId", "this leg sends no video, so it cannot be shown").Problem(),
    };

    private static async Task<IResult> OnLegAsync(Guid id, Guid legId, VideoLinkDbContext db, ConferenceService conferences, Func<ConferenceRoom, Guid, ControlResult> command, CancellationToken ct)
    {
        var (room, problem) = await LiveRoomAsync(id, db, conferences, ct);
        return problem ?? Outcome(command(room!, legId));
    }

    private static async Task<IResult> OnBodyLegAsync(Guid id, LegRequest body, VideoLinkDbContext db, ConferenceService conferences, Func<ConferenceRoom, Guid, ControlResult> command, CancellationToken ct)
    {
        var check = new Validation().Require(body.LegId is { } l && l != Guid.Empty, "legId", "is required");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        return await OnLegAsync(id, body.LegId!.Value, db, conferences, command, ct);
    }

    private static async Task<IResult> OnRoomAsync(Guid id, VideoLinkDbContext db, ConferenceService conferences, Action<ConferenceRoom> command, CancellationToken ct)
    {
        var (room, problem) = await LiveRoomAsync(id, db, conferences, ct);
        if (problem is not null)
        {
            return problem;
        }

        command(room!);
        return TypedResults.NoContent();
    }

    private static Task<IResult> MuteAllAsync(Guid id, VideoLinkDbContext db, ConferenceService conferences, CancellationToken ct) =>
        OnRoomAsync(id, db, conferences, r => r.MuteAllButMainVenue(), ct);

    private static async Task<IResult> StartPollingAsync(Guid id, PollingRequest body, VideoLinkDbContext db, ConferenceService conferences, CancellationToken ct)
    {
        var check = new Validation()
            .Require(body.LegIds is { Count: > 0 and <= MaxPollingLegs }, "legIds", $"1 to {MaxPollingLegs} legs are required")
            .Require(body.IntervalSeconds is >= MinPollingSeconds and <= MaxPollingSeconds, "intervalSeconds", $"between {MinPollingSeconds} and {MaxPollingSeconds}");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var (room, problem) = await LiveRoomAsync(id, db, conferences, ct);
        return problem ?? Outcome(room!.StartPolling(body.LegIds!, TimeSpan.FromSeconds(body.IntervalSeconds!.Value)));
    }

    private static async Task<IResult> SetVideoModeAsync(Guid id, VideoModeRequest body, VideoLinkDbContext db, ConferenceService conferences, CancellationToken ct)
    {
        if (!Enum.TryParse<VideoMode>(body.Mode, ignoreCase: false, out var mode) || !Enum.IsDefined(mode) || int.TryParse(body.Mode, out _))
        {
            return new Validation().Require(false, "mode", "MainVenue or VoiceActivated").Problem();
        }

        return await OnRoomAsync(id, db, conferences, r => r.SetVideoMode(mode), ct);
    }

    private static async Task<IResult> LockAsync(Guid id, LockRequest body, VideoLinkDbContext db, ConferenceService conferences, CancellationToken ct)
    {
        var check = new Validation().Require(body.Locked is not null, "locked", "true or false is required");
        return check.IsValid ? await SaveRoomAsync(id, db, conferences, (row, live) => row.Locked = live.Locked = body.Locked!.Value, ct) : check.Problem();
    }

    private static async Task<IResult> PinAsync(Guid id, PinRequest body, VideoLinkDbContext db, ConferenceService conferences, CancellationToken ct)
    {
        var pin = string.IsNullOrEmpty(body.Pin) ? null : body.Pin;
        var check = new Validation().Require(pin is null || (pin.Length is >= 4 and <= 8 && pin.All(char.IsAsciiDigit)), "pin", "4 to 8 digits, or empty to remove it");
        return check.IsValid
            ? await SaveRoomAsync(id, db, conferences, (row, live) => row.PinHash = live.PinHash = pin is null ? null : RoomPin.Hash(pin), ct)
            : check.Problem();
    }

    /// <summary>Changes a room setting that outlives a restart: on its row (saved first) and on the live room.</summary>
    private static async Task<IResult> SaveRoomAsync(Guid id, VideoLinkDbContext db, ConferenceService conferences, Action<Room, ConferenceRoom> change, CancellationToken ct)
    {
        var row = await db.Rooms.FirstOrDefaultAsync(r => r.Id == id && r.ClosedUtc == null, ct);
        if (row is null)
        {
            return ApiProblems.NotFound("The room");
        }

        var live = conferences.Open(row);
        change(row, live);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Dial-out: <c>{"endpointId"}</c> (a SIP endpoint in the caller's subtree) or <c>{"sipUri"}</c> (an account of this
    /// hub, or another SIP element by address while <c>Sip:AllowExternalDialOut</c> is on).
    /// </summary>
    private static async Task<IResult> DialAsync(Guid id, DialLegRequest body, VideoLinkDbContext db, ConferenceService conferences, SipLegs sipLegs, CancellationToken ct)
    {
        var check = new Validation()
            .Require(body.EndpointId is null ^ string.IsNullOrWhiteSpace(body.SipUri), "endpointId", "give either endpointId or sipUri")
            .Text(body.SipUri, "sipUri", 256, required: false)
            .Require(body.SipUri is null || body.SipUri.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) && body.SipUri.Contains('@', StringComparison.Ordinal), "sipUri", "a sip:user@host URI");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var (room, problem) = await LiveRoomAsync(id, db, conferences, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (room!.Locked)
        {
            return TypedResults.Problem(title: "Room locked", detail: "The room is locked: nobody new may join.", statusCode: StatusCodes.Status423Locked);
        }

        string target;
        SipParty party;
        if (body.EndpointId is { } endpointId)
        {
            var endpoint = await db.Endpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, ct);
            if (endpoint is null)
            {
                return ApiProblems.NotFound("The endpoint");
            }

            if (string.IsNullOrEmpty(endpoint.SipUser))
            {
                return new Validation().Require(false, "endpointId", "this endpoint has no SIP account").Problem();
            }

            target = endpoint.SipUser;
            party = new SipParty(endpoint.DisplayName, endpoint.Id, endpoint.SiteId);
        }
        else
        {
            target = body.SipUri!.Trim();
            var user = target[4..target.IndexOf('@', StringComparison.Ordinal)];
            party = await sipLegs.PartyAsync(user, null, ct);
        }

        SipDialOutcome outcome;
        ConferenceLeg? leg;
        try
        {
            (outcome, leg) = await sipLegs.DialAsync(room, target, party, ct);
        }
        catch (ArgumentException ex)
        {
            return new Validation().Require(false, "sipUri", ex.Message).Problem();
        }

        if (leg is not null)
        {
            return TypedResults.Created($"/api/rooms/{id}/legs/{leg.Id}", new { id = leg.Id, kind = leg.Kind, displayName = leg.DisplayName, callId = outcome.CallId });
        }

        return outcome.Status switch
        {
            SipDialStatus.Answered => ApiProblems.Conflict("The room ended while the call was answered."),
            SipDialStatus.Rejected when outcome.StatusCode is 403 or 404 => new Validation().Require(false, body.EndpointId is null ? "sipUri" : "endpointId", $"not dialable: {outcome.StatusCode} {outcome.Reason}").Problem(),
            _ => ApiProblems.Conflict($"The call was not answered: {outcome.Status} ({outcome.StatusCode} {outcome.Reason})."),
        };
    }

    private static async Task<IResult> IntervalsAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        if (!await db.Rooms.AnyAsync(r => r.Id == id, ct))
        {
            return ApiProblems.NotFound("The room");
        }

        var rows = await db.RoomLegIntervals.AsNoTracking().Where(i => i.RoomId == id).OrderBy(i => i.JoinedUtc).Take(5000).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(i => new IntervalView(i.Id, i.LegId, i.LegKind, i.DisplayName, i.EndpointId, i.SiteId, i.JoinedUtc, i.LeftUtc, i.LeftReason)).ToList());
    }
}

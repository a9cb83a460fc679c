using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Conference;
using VideoLink.Hub.Rooms;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Media;
using VideoLink.Media.Sdp;

namespace VideoLink.Hub.Api;

public sealed record CreateRoomRequest(string? Name, Guid? OrgUnitId);

/// <summary>A room: <c>locked</c> and <c>hasPin</c> are the stored settings (also while nobody is connected); <c>live</c> is null until someone joins.</summary>
public sealed record RoomView(Guid Id, string Name, string SipNumber, Guid OrgUnitId, string WhipUrl, string WhepUrl, bool Locked, bool HasPin, IReadOnlyList<LegView> Legs, RoomLiveView? Live);

/// <summary>
/// Rooms and the standard WebRTC doors into them: WHIP (RFC 9725) to publish — OBS, encoders, any WebRTC tool — and
/// WHEP to play. Both take <c>application/sdp</c> with a bearer token and answer 201 with a Location to DELETE.
/// </summary>
internal static class RoomsApi
{
    public const string SdpType = "application/sdp";
    public const int MaxSdpBytes = 64 * 1024;

    public static RouteGroupBuilder MapRoomsApi(this RouteGroupBuilder api)
    {
        var rooms = api.MapGroup("/rooms").WithTags("Rooms");
        rooms.MapGet("/", ListAsync).RequireAuthorization(Policies.DirectoryRead);
        rooms.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.DirectoryRead);
        rooms.MapPost("/", CreateAsync).RequireAuthorization(Policies.RoomHost);
        rooms.MapDelete("/{id:guid}", CloseAsync).RequireAuthorization(Policies.RoomHost);

        // STUN/TURN for the apps' own peer connections (time-limited TURN credentials, see TurnOptions).
        api.MapGet("/media/ice-servers", (IceServers ice, ClaimsPrincipal user) => TypedResults.Ok(ice.For(user.FindFirstValue(ClaimTypes.NameIdentifier)!)))
            .WithTags("Rooms").RequireAuthorization(Policies.Participant);
        return api;
    }

    public static WebApplication MapWhipWhep(this WebApplication app)
    {
        app.MapPost("/whip/{roomId:guid}", (Guid roomId, HttpContext http, VideoLinkDbContext db, ConferenceService media, CancellationToken ct) =>
            JoinAsync(roomId, "whip", http, db, media, ct)).RequireAuthorization(Policies.Participant).WithTags("WHIP/WHEP");
        app.MapPost("/whep/{roomId:guid}", (Guid roomId, HttpContext http, VideoLinkDbContext db, ConferenceService media, CancellationToken ct) =>
            JoinAsync(roomId, "whep", http, db, media, ct)).RequireAuthorization(Policies.Participant).WithTags("WHIP/WHEP");
        app.MapDelete("/whip/{roomId:guid}/{legId}", LeaveAsync).RequireAuthorization(Policies.Participant).WithTags("WHIP/WHEP");
        app.MapDelete("/whep/{roomId:guid}/{legId}", LeaveAsync).RequireAuthorization(Policies.Participant).WithTags("WHIP/WHEP");
        return app;
    }

    private static async Task<IResult> ListAsync(VideoLinkDbContext db, ConferenceService media, HttpContext http, CancellationToken ct)
    {
        var rooms = await db.Rooms.AsNoTracking().Where(r => r.ClosedUtc == null).OrderByDescending(r => r.CreatedUtc).Take(500).ToListAsync(ct);
        return TypedResults.Ok(rooms.Select(r => View(r, media, http)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, ConferenceService media, HttpContext http, CancellationToken ct)
    {
        var room = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return room is null ? ApiProblems.NotFound("The room") : TypedResults.Ok(View(room, media, http));
    }

    private static async Task<IResult> CreateAsync(CreateRoomRequest request, VideoLinkDbContext db, ConferenceService media, HttpContext http, ClaimsPrincipal user, CancellationToken ct)
    {
        var check = new Validation().Text(request.Name, "name", 200);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var unitId = request.OrgUnitId ?? Guid.Parse(user.FindFirstValue(BearerAuthenticationHandler.OrgUnitClaim)!);
        var unit = await db.VisibleUnitAsync(unitId, ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The org unit");
        }

        var room = await RoomService.CreateAsync(db, request.Name!, unit, db.Scope.UserId, DateTime.UtcNow, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/rooms/{room.Id}", View(room, media, http));
    }

    private static async Task<IResult> CloseAsync(Guid id, VideoLinkDbContext db, ConferenceService media, CancellationToken ct)
    {
        var room = await db.Rooms.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (room is null)
        {
            return ApiProblems.NotFound("The room");
        }

        room.ClosedUtc = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        await media.EndAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> JoinAsync(Guid roomId, string door, HttpContext http, VideoLinkDbContext db, ConferenceService media, CancellationToken ct)
    {
        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), SdpType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(title: "Unsupported media type", detail: $"Send the SDP offer as {SdpType}.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (http.Request.ContentLength is > MaxSdpBytes)
        {
            return TypedResults.Problem(title: "Offer too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var room = await RoomService.FindJoinableAsync(db, roomId, http.User, ct);
        if (room is null)
        {
            return ApiProblems.NotFound("The room");
        }

        using var reader = new StreamReader(http.Request.Body);
        var buffer = new char[MaxSdpBytes + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        if (read > MaxSdpBytes)
        {
            return TypedResults.Problem(title: "Offer too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var live = media.Open(room);
        if (live.Locked)
        {
            return TypedResults.Problem(title: "Room locked", detail: "The room is locked: nobody new may join.", statusCode: StatusCodes.Status423Locked);
        }

        // A player may name the publishing session of the same participant (`/whep/{room}?publisher={legId}`, the leg
        // id of its WHIP Location): the room then treats the two as one person — no own picture, no own voice back.
        var owner = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        Guid? companion = null;
        if (door == "whep" && http.Request.Query.TryGetValue("publisher", out var publisher))
        {
            if (!Guid.TryParse(publisher, out var publisherLeg) || live.FindLeg(publisherLeg) is not { } published || published.Owner != owner)
            {
                return TypedResults.Problem(title: "Unknown publisher", detail: "publisher must be the id of your own WHIP session in this room.", statusCode: StatusCodes.Status409Conflict);
            }

            companion = publisherLeg;
        }

        // ?site=<id>: a site's browser terminal joins on the site's behalf, so its time counts in attendance.
        Guid? siteId = null, endpointId = null;
        var name = http.User.FindFirstValue(ClaimTypes.Name) ?? door;
        if (http.Request.Query.TryGetValue("site", out var siteText))
        {
            var site = Guid.TryParse(siteText, out var sid) ? await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sid, ct) : null;
            if (site is null)
            {
                return new Validation().Require(false, "site", "a site you can see").Problem();
            }

            siteId = site.Id;
            name = site.Name;
            endpointId = await db.Endpoints.AsNoTracking().Where(e => e.SiteId == site.Id && e.Kind == EndpointKind.Web).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
        }

        var result = media.JoinWebRtc(live, new string(buffer, 0, read), name, owner, companion, siteId, endpointId);
        if (!result.Succeeded)
        {
            // RFC 9725 §4.2: an offer we cannot serve is a 4xx with the reason.
            var status = result.Error is SdpError.Malformed ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
            return TypedResults.Problem(title: "The offer cannot be served", detail: $"{result.Error}: {result.ErrorMessage}", statusCode: status);
        }

        var legId = Guid.Parse(result.Peer!.Id); // the leg id the room API shows
        var location = $"/{door}/{roomId}/{legId}";
        http.Response.Headers.Location = location;
        var ice = http.RequestServices.GetRequiredService<IceServers>();
        http.Response.Headers.Link = ice.LinkHeaders(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!).ToArray();
        http.Response.Headers.ETag = "\"" + legId + "\"";
        return Results.Text(result.Peer.AnswerSdp, SdpType, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> LeaveAsync(Guid roomId, string legId, VideoLinkDbContext db, ConferenceService media, ClaimsPrincipal user, CancellationToken ct)
    {
        var parsed = Guid.TryParse(legId, out var id);
        // Whoever opened a session may always close it — also after they lost the right to join (an expert who has
        // just transferred the consultation is no longer its expert, but their camera must leave the villager's room).
        var own = parsed && media.Find(roomId)?.FindLeg(id) is { Owner: { } owner } && owner == user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!own && !await db.Rooms.AnyAsync(r => r.Id == roomId, ct) && await RoomService.FindJoinableAsync(db, roomId, user, ct) is null)
        {
            return ApiProblems.NotFound("The room");
        }

        return parsed && media.Leave(roomId, id, LeaveReasons.Hangup) ? TypedResults.Ok() : ApiProblems.NotFound("The session");
    }

    private static RoomView View(Room r, ConferenceService media, HttpContext http)
    {
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var live = media.View(r.Id);
        return new(r.Id, r.Name, r.SipNumber, r.OrgUnitId, $"{origin}/whip/{r.Id}", $"{origin}/whep/{r.Id}", r.Locked, r.PinHash is not null, live?.Legs ?? [], live);
    }
}

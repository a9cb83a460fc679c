using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Consultations;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Rooms;

/// <summary>
/// The durable side of rooms shared by the rooms API and consultations: creating a room row (with its SIP dial-in
/// number) and deciding whether a caller may join an open room.
/// </summary>
public static class RoomService
{
    public static async Task<Room> CreateAsync(VideoLinkDbContext db, string name, OrgUnit unit, Guid? createdBy, DateTime nowUtc, CancellationToken ct)
    {
        var room = new Room
        {
            Id = Guid.NewGuid(),
            Name = name,
            SipNumber = await FreeSipNumberAsync(db, ct),
            OrgUnitId = unit.Id,
            CreatedByUserId = createdBy,
            CreatedUtc = nowUtc,
            OrgPath = unit.OrgPath,
        };
        db.Rooms.Add(room);
        return room;
    }

    /// <summary>
    /// An open room the caller may join: one inside their org subtree, or a consultation room they take part in (the
    /// requesting kiosk, the answering expert, an invited specialist) wherever it sits in the tree.
    /// </summary>
    public static async Task<Room?> FindJoinableAsync(VideoLinkDbContext db, Guid roomId, ClaimsPrincipal user, CancellationToken ct)
    {
        var room = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roomId && r.ClosedUtc == null, ct);
        if (room is not null)
        {
            return room;
        }

        // A running meeting that invited a site the caller can see (a township or village joining the district's
        // meeting from its browser terminal: the room belongs to the organiser above them).
        // (IgnoreQueryFilters turns off every filter of its query, so the caller's own sites are read apart, first.)
        var bookingIds = await db.MeetingRuns.IgnoreQueryFilters().AsNoTracking()
            .Where(run => run.RoomId == roomId && run.LaunchedUtc != null && run.EndedUtc == null).Select(run => run.BookingId).ToListAsync(ct);
        var invitedSites = bookingIds.Count == 0 ? [] : await db.BookingSites.AsNoTracking()
            .Where(bs => bookingIds.Contains(bs.BookingId)).Select(bs => bs.SiteId).ToListAsync(ct);
        var invited = invitedSites.Count > 0 && await db.Sites.AsNoTracking().AnyAsync(s => invitedSites.Contains(s.Id), ct);
        if (invited)
        {
            return await db.Rooms.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.Id == roomId && r.ClosedUtc == null, ct);
        }

        var consultation = await db.Consultations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.RoomId == roomId && c.Status == ConsultationStatus.InCall)
            .Select(c => new { c.SiteId, c.ExpertId, c.InvitedExpertIds })
            .FirstOrDefaultAsync(ct);
        if (consultation is null)
        {
            return null;
        }

        var allowed = false;
        if (Guid.TryParse(user.FindFirstValue(KioskTokens.SiteClaim), out var kioskSite))
        {
            allowed = kioskSite == consultation.SiteId;
        }
        else if (Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            var expertId = await db.Experts.IgnoreQueryFilters().Where(e => e.UserId == userId).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
            allowed = expertId is { } id && (id == consultation.ExpertId || ConsultationIds.Contains(consultation.InvitedExpertIds, id));
        }

        return allowed
            ? await db.Rooms.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.Id == roomId && r.ClosedUtc == null, ct)
            : null;
    }

    /// <summary>Six-digit dial-in numbers starting with 9 (the directory's phones use 8xxx), unique among rooms.</summary>
    private static async Task<string> FreeSipNumberAsync(VideoLinkDbContext db, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var number = "9" + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            if (!await db.Rooms.IgnoreQueryFilters().AnyAsync(r => r.SipNumber == number, ct))
            {
                return number;
            }
        }

        throw new InvalidOperationException("No free room number found.");
    }
}

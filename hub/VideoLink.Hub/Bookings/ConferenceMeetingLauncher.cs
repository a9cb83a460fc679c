using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Conference;
using VideoLink.Hub.Rooms;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Sip;

namespace VideoLink.Hub.Bookings;

/// <summary>
/// <see cref="IMeetingLauncher"/> on the conference engine: the booking's room is a live conference room, each SIP
/// site is dialled into it as a leg (mixed audio, chosen video, leg intervals written by the engine), and the main
/// venue site's leg becomes the room's 主会场 as soon as it answers. App endpoints are not dialled: they get a join
/// prompt and connect over WHIP/WHEP themselves.
/// </summary>
public sealed partial class ConferenceMeetingLauncher(
    IServiceScopeFactory scopes,
    ConferenceService conferences,
    SipLegs sipLegs,
    TimeProvider clock,
    ILogger<ConferenceMeetingLauncher> logger) : IMeetingLauncher
{
    private readonly ConcurrentDictionary<Guid, Guid> _mainVenueSite = new();

    public async Task<Guid> OpenRoomAsync(MeetingRoomRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateSystemScope(out var db);
        var unit = await db.OrgUnits.AsNoTracking().FirstAsync(u => u.Id == request.OrganizerOrgUnitId, cancellationToken);
        var name = request.Title.Length > 200 ? request.Title[..200] : request.Title;
        var room = await RoomService.CreateAsync(db, name, unit, null, clock.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        conferences.Open(room);
        _mainVenueSite[room.Id] = request.MainVenueSiteId;
        LogRoomOpened(logger, room.Id, request.Title, request.MainVenueSiteId);
        return room.Id;
    }

    public async Task<SiteDialResult> ConnectAsync(Guid roomId, SiteDialTarget target, CancellationToken cancellationToken)
    {
        // In already — dialled, dialled in, or joined from the site's browser terminal (/meeting, WHIP with ?site=):
        // nobody dials or prompts it again.
        if (conferences.Find(roomId)?.Legs.Any(l => l.SiteId == target.SiteId && !l.IsEnded) == true)
        {
            return new SiteDialResult(SiteDialStatus.Connected, "Already in the room.");
        }

        if (!string.Equals(target.EndpointKind, nameof(EndpointKind.Sip), StringComparison.Ordinal) || target.SipUser is null)
        {
            return new SiteDialResult(SiteDialStatus.JoinPrompted, "App endpoint: asked to join.");
        }

        var room = await LiveRoomAsync(roomId, cancellationToken);
        if (room is null)
        {
            return new SiteDialResult(SiteDialStatus.Unreachable, "The meeting room is closed.");
        }

        SipDialOutcome outcome;
        ConferenceLeg? leg;
        try
        {
            (outcome, leg) = await sipLegs.DialAsync(room, target.SipUser, new SipParty(target.DisplayName, target.EndpointId, target.SiteId), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDialFailed(logger, target.SipUser, ex);
            return new SiteDialResult(SiteDialStatus.Unreachable, ex.Message);
        }

        LogDialOutcome(logger, target.SipUser, roomId, outcome.ToString());
        if (outcome.IsAnswered && leg is not null)
        {
            if (_mainVenueSite.TryGetValue(roomId, out var mainSite) && mainSite == target.SiteId)
            {
                room.SetMainVenue(leg.Id);
            }

            return new SiteDialResult(SiteDialStatus.Connected, $"{outcome.StatusCode} {outcome.Reason}");
        }

        var status = outcome.Status switch
        {
            SipDialStatus.Busy => SiteDialStatus.Busy,
            SipDialStatus.NoAnswer => SiteDialStatus.NoAnswer,
            SipDialStatus.Rejected => SiteDialStatus.Rejected,
            _ => SiteDialStatus.Unreachable,
        };
        return new SiteDialResult(status, $"{outcome.StatusCode} {outcome.Reason}");
    }

    public bool IsConnected(Guid roomId, Guid endpointId) =>
        conferences.Find(roomId)?.Legs.Any(l => l.EndpointId == endpointId && !l.IsEnded) == true;

    public async Task CloseRoomAsync(Guid roomId, CancellationToken cancellationToken)
    {
        await conferences.EndAsync(roomId, cancellationToken);
        _mainVenueSite.TryRemove(roomId, out _);
        await using var scope = scopes.CreateSystemScope(out var db);
        var room = await db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId, cancellationToken);
        if (room is not null && room.ClosedUtc is null)
        {
            room.ClosedUtc = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        LogRoomClosed(logger, roomId);
    }

    // After a hub restart the scheduler's retries find the room row but no live room: open it again from the row.
    private async Task<ConferenceRoom?> LiveRoomAsync(Guid roomId, CancellationToken cancellationToken)
    {
        if (conferences.Find(roomId) is { IsEnded: false } live)
        {
            return live;
        }

        await using var scope = scopes.CreateSystemScope(out var db);
        var row = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roomId && r.ClosedUtc == null, cancellationToken);
        return row is null ? null : conferences.Open(row);
    }


    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Meeting room {RoomId} opened for {Title} (main venue {MainVenueSiteId})")]
    private static partial void LogRoomOpened(ILogger logger, Guid roomId, string title, Guid mainVenueSiteId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Dial {SipUser} for room {RoomId}: {Outcome}")]
    private static partial void LogDialOutcome(ILogger logger, string sipUser, Guid roomId, string outcome);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Dial {SipUser} failed")]
    private static partial void LogDialFailed(ILogger logger, string sipUser, Exception ex);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Meeting room {RoomId} closed")]
    private static partial void LogRoomClosed(ILogger logger, Guid roomId);
}

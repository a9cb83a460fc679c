using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Rooms;

/// <summary>Who a leg is, for its interval row: the endpoint and site it belongs to when known.</summary>
public sealed record LegIdentity(Guid LegId, string LegKind, string DisplayName, Guid? EndpointId = null, Guid? SiteId = null);

/// <summary>
/// Writes each leg's connected interval as it happens: a row when the leg joins, its end when it leaves.
/// Rows are written through their own scope with the system org scope (the media plane has no user), and each
/// write is committed before the call returns, so a crash loses at most the end time of an open interval —
/// which <see cref="CloseOpenAsync"/> fills in with <c>hub-restart</c> at the next start.
/// </summary>
public sealed partial class LegIntervalJournal(IServiceScopeFactory scopes, TimeProvider clock, ILogger<LegIntervalJournal> logger)
{
    public const string HubRestart = "hub-restart";

    /// <summary>Opens an interval for <paramref name="leg"/> in <paramref name="roomId"/>; returns its id.</summary>
    public async Task<Guid> OpenAsync(Guid roomId, LegIdentity leg, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateSystemScope(out var db);
        var orgPath = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.OrgPath).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Room {roomId} does not exist.");
        var row = new RoomLegInterval
        {
            Id = Guid.NewGuid(),
            RoomId = roomId,
            LegId = leg.LegId,
            LegKind = leg.LegKind,
            EndpointId = leg.EndpointId,
            SiteId = leg.SiteId,
            DisplayName = leg.DisplayName.Length > 200 ? leg.DisplayName[..200] : leg.DisplayName,
            JoinedUtc = clock.GetUtcNow().UtcDateTime,
            OrgPath = orgPath,
        };
        db.RoomLegIntervals.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        LogOpened(logger, leg.LegId, roomId, leg.LegKind);
        return row.Id;
    }

    /// <summary>Closes the open interval(s) of a leg. Closing twice is harmless (the first reason stands).</summary>
    public async Task CloseAsync(Guid legId, string reason, CancellationToken cancellationToken)
    {
        if (await CloseWhereAsync(i => i.LegId == legId && i.LeftUtc == null, reason, cancellationToken) > 0)
        {
            LogClosed(logger, legId, reason);
        }
    }

    /// <summary>Closes every interval still open in <paramref name="roomId"/> (the room ended).</summary>
    public Task<int> CloseRoomAsync(Guid roomId, string reason, CancellationToken cancellationToken) =>
        CloseWhereAsync(i => i.RoomId == roomId && i.LeftUtc == null, reason, cancellationToken);

    /// <summary>At start-up: every interval left open by the previous process ends now with <see cref="HubRestart"/>.</summary>
    public Task<int> CloseOpenAsync(CancellationToken cancellationToken) =>
        CloseWhereAsync(i => i.LeftUtc == null, HubRestart, cancellationToken);

    private async Task<int> CloseWhereAsync(System.Linq.Expressions.Expression<Func<RoomLegInterval, bool>> filter, string reason, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateSystemScope(out var db);
        var now = clock.GetUtcNow().UtcDateTime;
        var open = await db.RoomLegIntervals.Where(filter).ToListAsync(cancellationToken);
        foreach (var row in open)
        {
            row.LeftUtc = now;
            row.LeftReason = reason;
        }

        await db.SaveChangesAsync(cancellationToken);
        return open.Count;
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Leg {LegId} joined room {RoomId} ({LegKind})")]
    private static partial void LogOpened(ILogger logger, Guid legId, Guid roomId, string legKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leg {LegId} left: {Reason}")]
    private static partial void LogClosed(ILogger logger, Guid legId, string reason);
}

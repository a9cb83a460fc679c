using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Rooms;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Sip;

namespace VideoLink.Hub.Bookings;

/// <summary>
/// <see cref="IMeetingLauncher"/> on what the hub has before the conference engine: the Room row, a SIP dial-out per
/// site (<see cref="SipServer.DialAsync"/>), and the leg's connected interval in <see cref="LegIntervalJournal"/> —
/// opened when the call is answered, closed on <see cref="SipServer.CallEnded"/> or when the room closes. The call's
/// media is anchored by the SIP layer but not yet mixed with the other sites (that is the conference engine's job).
/// App endpoints are not dialled: they get a join prompt (a notice) and connect through WHIP themselves.
/// Kept deliberately thin so it can be swapped for the conference engine's room API.
/// </summary>
public sealed partial class SipMeetingLauncher : IMeetingLauncher, IDisposable
{
    /// <summary>How long a site's phone rings before the dial counts as unanswered.</summary>
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(30);

    private readonly IServiceScopeFactory _scopes;
    private readonly SipServer _sip;
    private readonly LegIntervalJournal _journal;
    private readonly TimeProvider _clock;
    private readonly ILogger<SipMeetingLauncher> _logger;
    private readonly ConcurrentDictionary<string, Leg> _legsByCall = new(StringComparer.Ordinal);

    private sealed record Leg(Guid RoomId, Guid EndpointId, Guid LegId, string CallId);

    public SipMeetingLauncher(IServiceScopeFactory scopes, SipServer sip, LegIntervalJournal journal, TimeProvider clock, ILogger<SipMeetingLauncher> logger)
    {
        _scopes = scopes;
        _sip = sip;
        _journal = journal;
        _clock = clock;
        _logger = logger;
        _sip.CallEnded += OnCallEnded;
    }

    public async Task<Guid> OpenRoomAsync(MeetingRoomRequest request, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var unit = await db.OrgUnits.AsNoTracking().FirstAsync(u => u.Id == request.OrganizerOrgUnitId, cancellationToken);
        var room = new Room
        {
            Id = Guid.NewGuid(),
            Name = request.Title.Length > 200 ? request.Title[..200] : request.Title,
            SipNumber = await FreeSipNumberAsync(db, cancellationToken),
            OrgUnitId = unit.Id,
            CreatedUtc = _clock.GetUtcNow().UtcDateTime,
            OrgPath = unit.OrgPath,
        };
        db.Rooms.Add(room);
        await db.SaveChangesAsync(cancellationToken);
        LogRoomOpened(_logger, room.Id, request.Title, request.MainVenueSiteId);
        return room.Id;
    }

    public async Task<SiteDialResult> ConnectAsync(Guid roomId, SiteDialTarget target, CancellationToken cancellationToken)
    {
        if (!string.Equals(target.EndpointKind, nameof(EndpointKind.Sip), StringComparison.Ordinal) || target.SipUser is null)
        {
            return new SiteDialResult(SiteDialStatus.JoinPrompted, "App endpoint: asked to join.");
        }

        if (IsConnected(roomId, target.EndpointId))
        {
            return new SiteDialResult(SiteDialStatus.Connected, "Already in the room.");
        }

        SipDialOutcome outcome;
        try
        {
            outcome = await _sip.DialAsync(new SipDialRequest(target.SipUser) { CallerDisplayName = target.MeetingTitle, RingTimeout = RingTimeout }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDialFailed(_logger, target.SipUser, ex);
            return new SiteDialResult(SiteDialStatus.Unreachable, ex.Message);
        }

        if (!outcome.IsAnswered)
        {
            LogDialOutcome(_logger, target.SipUser, roomId, outcome.ToString());
            var status = outcome.Status switch
            {
                SipDialStatus.Busy => SiteDialStatus.Busy,
                SipDialStatus.NoAnswer => SiteDialStatus.NoAnswer,
                SipDialStatus.Rejected => SiteDialStatus.Rejected,
                _ => SiteDialStatus.Unreachable,
            };
            return new SiteDialResult(status, $"{outcome.StatusCode} {outcome.Reason}");
        }

        var leg = new Leg(roomId, target.EndpointId, Guid.NewGuid(), outcome.CallId!);
        _legsByCall[leg.CallId] = leg;
        await _journal.OpenAsync(roomId, new LegIdentity(leg.LegId, "Sip", target.DisplayName, target.EndpointId, target.SiteId), cancellationToken);
        LogDialOutcome(_logger, target.SipUser, roomId, outcome.ToString());
        return new SiteDialResult(SiteDialStatus.Connected, $"{outcome.StatusCode} {outcome.Reason}");
    }

    public bool IsConnected(Guid roomId, Guid endpointId) =>
        _legsByCall.Values.Any(l => l.RoomId == roomId && l.EndpointId == endpointId);

    public async Task CloseRoomAsync(Guid roomId, CancellationToken cancellationToken)
    {
        foreach (var leg in _legsByCall.Values.Where(l => l.RoomId == roomId).ToList())
        {
            if (_legsByCall.TryRemove(leg.CallId, out _))
            {
                await _journal.CloseAsync(leg.LegId, "room-ended", cancellationToken);
                await _sip.HangUpAsync(leg.CallId, cancellationToken);
            }
        }

        await _journal.CloseRoomAsync(roomId, "room-ended", cancellationToken);
        await using var scope = _scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var room = await db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId, cancellationToken);
        if (room is not null && room.ClosedUtc is null)
        {
            room.ClosedUtc = _clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        scope.ServiceProvider.GetRequiredService<RoomMedia>().Close(roomId);
        LogRoomClosed(_logger, roomId);
    }

    private void OnCallEnded(object? sender, SipCallEndedEventArgs e)
    {
        if (_legsByCall.TryRemove(e.CallId, out var leg))
        {
            // The SIP layer raises this on its own thread; the interval end is written in the background so the
            // transaction layer is never blocked on the database. A failure is logged, never thrown into SIP.
            _ = CloseLegAsync(leg, e.ByRemote ? "hangup" : e.Reason);
        }
    }

    private async Task CloseLegAsync(Leg leg, string reason)
    {
        try
        {
            await _journal.CloseAsync(leg.LegId, reason.Length > 64 ? reason[..64] : reason, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogCloseFailed(_logger, leg.LegId, ex);
        }
    }

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

    public void Dispose() => _sip.CallEnded -= OnCallEnded;

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Meeting room {RoomId} opened for {Title} (main venue {MainVenueSiteId})")]
    private static partial void LogRoomOpened(ILogger logger, Guid roomId, string title, Guid mainVenueSiteId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Dial {SipUser} for room {RoomId}: {Outcome}")]
    private static partial void LogDialOutcome(ILogger logger, string sipUser, Guid roomId, string outcome);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Dial {SipUser} failed")]
    private static partial void LogDialFailed(ILogger logger, string sipUser, Exception ex);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Meeting room {RoomId} closed")]
    private static partial void LogRoomClosed(ILogger logger, Guid roomId);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "Could not close the interval of leg {LegId}")]
    private static partial void LogCloseFailed(ILogger logger, Guid legId, Exception ex);
}

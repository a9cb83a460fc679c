using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Sip;

namespace VideoLink.Hub.Conference;

/// <summary>Who a SIP account is in the directory (for the leg's name and its interval row).</summary>
internal sealed record SipParty(string DisplayName, Guid? EndpointId, Guid? SiteId);

/// <summary>
/// SIP legs of rooms: the conference door of the SIP stack (a dial-in to a room's number, optionally
/// <c>number*PIN</c>, from an authenticated account joins that room), dial-out to an endpoint, and the SIP events that
/// end legs (BYE, session timer) or ask for keyframes (INFO picture_fast_update).
/// </summary>
public sealed partial class SipLegs(SipServer sip, ConferenceService conferences, IServiceScopeFactory scopes, IOptions<ConferenceOptions> options, ILogger<SipLegs> logger)
    : ISipConferenceDoor, IHostedService
{
    private readonly ConcurrentDictionary<string, (ConferenceRoom Room, SipLeg Leg)> _byCallId = new(StringComparer.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        sip.ConferenceDoor = this;
        sip.CallEnded += OnCallEnded;
        sip.KeyFrameRequested += OnKeyFrameRequested;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        sip.ConferenceDoor = null;
        sip.CallEnded -= OnCallEnded;
        sip.KeyFrameRequested -= OnKeyFrameRequested;
        return Task.CompletedTask;
    }

    public async ValueTask<SipConferenceAdmission> AdmitAsync(SipConferenceInvite invite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (invite.Number.Length != 6 || !invite.Number.All(char.IsAsciiDigit))
        {
            return SipConferenceAdmission.NotAConference;
        }

        await using var scope = SystemScope(out var db);
        var row = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.SipNumber == invite.Number && r.ClosedUtc == null, cancellationToken);
        if (row is null)
        {
            return SipConferenceAdmission.NotAConference;
        }

        var room = conferences.Open(row);
        if (room.Locked)
        {
            return SipConferenceAdmission.Locked;
        }

        return room.Admits(invite.Pin) ? SipConferenceAdmission.Admit : SipConferenceAdmission.WrongPin;
    }

    public void OnJoined(SipConferenceCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        _ = JoinAsync(call); // fire-and-forget: JoinAsync catches everything and hangs the call up on failure
    }

    /// <summary>Dials a registered account into a room; the answered call becomes a SIP leg.</summary>
    internal async Task<(SipDialOutcome Outcome, ConferenceLeg? Leg)> DialAsync(ConferenceRoom room, string target, SipParty party, CancellationToken cancellationToken,
        TimeSpan? ringTimeout = null)
    {
        var outcome = await sip.DialAsync(new SipDialRequest(target)
        {
            CallerDisplayName = room.Name,
            CallerUser = room.SipNumber,
            RingTimeout = ringTimeout ?? TimeSpan.FromSeconds(options.Value.DialRingSeconds),
        }, cancellationToken);
        if (!outcome.IsAnswered)
        {
            return (outcome, null);
        }

        var leg = Attach(room, outcome.CallId!, outcome.Streams, party);
        return (outcome, leg);
    }

    private async Task JoinAsync(SipConferenceCall call)
    {
        try
        {
            var room = conferences.FindByNumber(call.Invite.Number);
            if (room is null)
            {
                await sip.HangUpAsync(call.CallId, CancellationToken.None);
                return;
            }

            var party = await PartyAsync(call.Invite.CallerUser, call.Invite.CallerDisplayName, CancellationToken.None);
            Attach(room, call.CallId, call.Streams, party);
        }
#pragma warning disable CA1031 // One failed join hangs up that call only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogJoinFailed(logger, call.CallId, ex);
            await sip.HangUpAsync(call.CallId, CancellationToken.None);
        }
    }

    private SipLeg? Attach(ConferenceRoom room, string callId, IReadOnlyList<VideoLink.Sip.Media.IAnchoredStream> streams, SipParty party)
    {
        var leg = new SipLeg(sip, callId, streams, party.DisplayName) { EndpointId = party.EndpointId, SiteId = party.SiteId };
        _byCallId[callId] = (room, leg);
        if (!room.AddLeg(leg))
        {
            _byCallId.TryRemove(callId, out _);
            leg.Hangup();
            return null;
        }

        leg.Start();
        leg.RequestKeyFrame(); // its first picture for whoever watches it
        return leg;
    }

    /// <summary>The directory's endpoint for a SIP account (name, endpoint, site), looked up as the system.</summary>
    internal async Task<SipParty> PartyAsync(string sipUser, string? displayName, CancellationToken cancellationToken)
    {
        await using var scope = SystemScope(out var db);
        var endpoint = await db.Endpoints.AsNoTracking().FirstOrDefaultAsync(e => e.SipUser == sipUser, cancellationToken);
        return endpoint is null
            ? new SipParty(displayName ?? sipUser, null, null)
            : new SipParty(endpoint.DisplayName, endpoint.Id, endpoint.SiteId);
    }

    private void OnCallEnded(object? sender, SipCallEndedEventArgs e)
    {
        if (_byCallId.TryRemove(e.CallId, out var entry))
        {
            var reason = !e.ByRemote ? LeaveReasons.Kicked
                : e.Reason.StartsWith("session", StringComparison.Ordinal) || e.Reason.StartsWith("no ACK", StringComparison.Ordinal) ? LeaveReasons.Timeout
                : LeaveReasons.Hangup;
            entry.Room.RemoveLeg(entry.Leg.Id, reason);
        }
    }

    private void OnKeyFrameRequested(object? sender, SipKeyFrameRequestEventArgs e)
    {
        if (_byCallId.TryGetValue(e.CallId, out var entry))
        {
            entry.Room.OnKeyFrameWanted(entry.Leg);
        }
    }

    private AsyncServiceScope SystemScope(out VideoLinkDbContext db)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        return scope;
    }

    [LoggerMessage(EventId = 1921, Level = LogLevel.Warning, Message = "SIP call {CallId} could not join its room")]
    private static partial void LogJoinFailed(ILogger logger, string callId, Exception exception);
}

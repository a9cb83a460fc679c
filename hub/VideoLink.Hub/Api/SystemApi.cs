using VideoLink.Hub.Security;
using VideoLink.Media;
using VideoLink.Sip;

namespace VideoLink.Hub.Api;

public sealed record SipCountersView(long MessagesReceived, long MessagesDropped, long BadRequestsAnswered, long KeepAlives, long MessagesSent, long SendFailures, long RequestsShed, int PendingRequests, int ActiveCalls);

public sealed record SystemCountersView(MediaCounters Media, SipCountersView Sip);

/// <summary>
/// Operational counters: every dropped datagram, bad SIP message and failed handshake is counted, never silent.
/// District administrators only (the numbers are about the whole node, not one subtree).
/// </summary>
internal static class SystemApi
{
    public static RouteGroupBuilder MapSystemApi(this RouteGroupBuilder api)
    {
        api.MapGet("/system/counters", (WebRtcEndpoint media, SipServer sip) =>
        {
            var s = sip.Counters;
            return TypedResults.Ok(new SystemCountersView(
                media.Counters,
                new SipCountersView(s.MessagesReceived, s.MessagesDropped, s.BadRequestsAnswered, s.KeepAlives, s.MessagesSent, s.SendFailures, s.RequestsShed, sip.PendingRequests, sip.ActiveCalls)));
        }).WithTags("System").RequireAuthorization(Policies.SystemAdmin);
        return api;
    }
}

using System.Globalization;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Dialogs;

/// <summary>Dialog state (RFC 3261 §12): identifiers, sequence numbers, remote target and route set.</summary>
internal sealed class SipDialog
{
    private uint _localSeq;

    public SipDialog(string callId, string localTag, NameAddress localParty, NameAddress remoteParty, SipUri remoteTarget,
        IReadOnlyList<string> routeSet, SipRemote remote, uint localSeq)
    {
        CallId = callId;
        LocalTag = localTag;
        LocalParty = localParty.WithParameter("tag", localTag);
        RemoteParty = remoteParty;
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        Remote = remote;
        _localSeq = localSeq;
    }

    public string CallId { get; }
    public string LocalTag { get; }
    public NameAddress LocalParty { get; }
    /// <summary>The peer's From/To including its tag once known.</summary>
    public NameAddress RemoteParty { get; set; }
    public SipUri RemoteTarget { get; set; }
    public IReadOnlyList<string> RouteSet { get; set; }
    /// <summary>Where requests in this dialog are physically sent: the flow the peer used (RFC 5626 spirit, NAT-safe).</summary>
    public SipRemote Remote { get; set; }
    public uint? RemoteSeq { get; set; }

    public string Key => Keys(CallId, LocalTag);

    public static string Keys(string callId, string localTag) => callId + "\n" + localTag;

    public uint NextSeq() => Interlocked.Increment(ref _localSeq);

    /// <summary>A request within the dialog (§12.2.1.1). The transaction layer adds the Via.</summary>
    public SipRequest CreateRequest(string method, uint? cseq = null, string? contact = null)
    {
        var request = new SipRequest { Method = method, RequestUri = RemoteTarget };
        foreach (string route in RouteSet)
        {
            request.AddHeader(SipHeaderNames.Route, route);
        }
        request.AddHeader(SipHeaderNames.MaxForwards, "70");
        request.AddHeader(SipHeaderNames.From, LocalParty.ToString());
        request.AddHeader(SipHeaderNames.To, RemoteParty.ToString());
        request.AddHeader(SipHeaderNames.CallId, CallId);
        request.AddHeader(SipHeaderNames.CSeq, (cseq ?? NextSeq()).ToString(CultureInfo.InvariantCulture) + " " + method);
        if (contact is not null)
        {
            request.AddHeader(SipHeaderNames.Contact, contact);
        }
        return request;
    }

    /// <summary>Checks and records the remote CSeq of an in-dialog request (§12.2.2): lower numbers are out of order.</summary>
    public bool AcceptRemoteSeq(uint seq)
    {
        if (RemoteSeq is { } last && seq <= last)
        {
            return false;
        }
        RemoteSeq = seq;
        return true;
    }
}

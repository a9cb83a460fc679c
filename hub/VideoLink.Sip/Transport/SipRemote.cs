using System.Net;

namespace VideoLink.Sip.Transport;

internal enum SipTransportKind
{
    Udp,
    Tcp,
    WebSocket,
}

/// <summary>Where a message came from or goes to. <paramref name="ConnectionId"/> is 0 for UDP.</summary>
internal sealed record SipRemote(SipTransportKind Kind, IPEndPoint EndPoint, long ConnectionId = 0)
{
    public bool IsReliable => Kind != SipTransportKind.Udp;

    public string ViaTransport => Kind switch
    {
        SipTransportKind.Tcp => "TCP",
        SipTransportKind.WebSocket => "WS",
        _ => "UDP",
    };

    public override string ToString() => $"{ViaTransport} {EndPoint}";
}

/// <summary>Send outcome as a value (STYLE.md): a failed send is not an exception.</summary>
internal enum SipSendResult
{
    Sent,
    NoConnection,
    Failed,
}

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

    /// <summary>The address as text, for Via received= (RFC 3581); made once per remote, which the UDP loops reuse.</summary>
    public string AddressText { get; } = EndPoint.Address.ToString();

    /// <summary>The port as text, for Via rport= (RFC 3581).</summary>
    public string PortText { get; } = EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

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

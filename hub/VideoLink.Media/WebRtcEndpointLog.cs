using Microsoft.Extensions.Logging;

namespace VideoLink.Media;

internal static partial class WebRtcEndpointLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "WebRTC endpoint listening on {EndPoint}")]
    public static partial void Listening(this ILogger logger, System.Net.IPEndPoint endPoint);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Peer {PeerId} created (ufrag {Ufrag})")]
    public static partial void PeerCreated(this ILogger logger, string peerId, string ufrag);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Peer {PeerId} selected candidate pair with {Remote} (nominated {Nominated})")]
    public static partial void PairSelected(this ILogger logger, string peerId, string remote, bool nominated);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Peer {PeerId} DTLS connected (cipher suite 0x{CipherSuite:X4}, extended master secret {Ems}, SRTP {SrtpProfile})")]
    public static partial void DtlsConnected(this ILogger logger, string peerId, int cipherSuite, bool ems, string srtpProfile);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Peer {PeerId} DTLS handshake failed")]
    public static partial void DtlsFailed(this ILogger logger, string peerId, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Peer {PeerId} closed: {Reason}")]
    public static partial void PeerClosed(this ILogger logger, string peerId, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Receive loop error")]
    public static partial void ReceiveError(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Peer {PeerId}: an application handler threw")]
    public static partial void HandlerFailed(this ILogger logger, string peerId, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Offer rejected: {Error} {Message}")]
    public static partial void OfferRejected(this ILogger logger, Sdp.SdpError error, string message);
}

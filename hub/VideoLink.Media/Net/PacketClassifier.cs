namespace VideoLink.Media.Net;

/// <summary>What a datagram on the shared WebRTC port carries.</summary>
internal enum PacketKind
{
    Unknown,
    Stun,
    Dtls,
    Rtp,
    Rtcp,
}

/// <summary>Demultiplexing by first byte (RFC 7983 §7): STUN 0–3, DTLS 20–63, RTP/RTCP 128–191.</summary>
internal static class PacketClassifier
{
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        var first = datagram[0];
        return first switch
        {
            <= 3 => PacketKind.Stun,
            >= 20 and <= 63 => PacketKind.Dtls,
            >= 128 and <= 191 => datagram.Length >= 2 && IsRtcpPayloadType(datagram[1]) ? PacketKind.Rtcp : PacketKind.Rtp,
            _ => PacketKind.Unknown,
        };
    }

    /// <summary>RFC 5761 §4: with rtcp-mux, RTCP packet types 192–223 occupy RTP payload types 64–95 (marker included).</summary>
    public static bool IsRtcpPayloadType(byte secondByte) => secondByte is >= 192 and <= 223;
}

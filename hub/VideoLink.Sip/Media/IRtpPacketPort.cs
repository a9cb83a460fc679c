namespace VideoLink.Sip.Media;

/// <summary>A received RTP or RTCP datagram on an anchored stream. The span is valid only during the call.</summary>
public delegate void RtpPacketHandler(IAnchoredStream stream, ReadOnlySpan<byte> packet, bool rtcp);

/// <summary>
/// Packet access to an anchored stream, for a media engine that terminates the stream itself (the conference router)
/// instead of echoing or relaying it. Anchors that support it implement this on their <see cref="IAnchoredStream"/>s.
/// </summary>
public interface IRtpPacketPort
{
    /// <summary>From now on every received packet goes to <paramref name="handler"/> (on the stream's receive loop).</summary>
    void Terminate(RtpPacketHandler handler);

    /// <summary>Sends one packet to the peer (the latched source address, else the SDP address). False if nowhere to send yet.</summary>
    bool Send(ReadOnlySpan<byte> packet, bool rtcp);

    /// <summary><see cref="Environment.TickCount64"/> of the last RTP packet received (0 = none yet): RTP timeout detection.</summary>
    long LastRtpReceivedTicks { get; }
}

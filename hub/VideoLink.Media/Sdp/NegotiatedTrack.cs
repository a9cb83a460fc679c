namespace VideoLink.Media.Sdp;

/// <summary>Audio or video.</summary>
public enum MediaKind
{
    Audio,
    Video,
}

/// <summary>Direction from our side of the answer (RFC 8866 §6.7).</summary>
[Flags]
public enum MediaDirection
{
    Inactive = 0,
    Send = 1,
    Receive = 2,
    SendReceive = Send | Receive,
}

/// <summary>What was agreed for one m= section.</summary>
public sealed record NegotiatedTrack
{
    public required MediaKind Kind { get; init; }

    public required string Mid { get; init; }

    /// <summary>Payload type the peer uses and expects for the chosen codec.</summary>
    public required int PayloadType { get; init; }

    /// <summary>Encoding name, e.g. "PCMU" or "H264".</summary>
    public required string Codec { get; init; }

    public required int ClockRate { get; init; }

    /// <summary>Our direction: <see cref="MediaDirection.Receive"/> for a browser that publishes.</summary>
    public required MediaDirection Direction { get; init; }

    /// <summary>SSRCs the peer announced with <c>a=ssrc</c> (may be empty).</summary>
    public IReadOnlyList<uint> RemoteSsrcs { get; init; } = [];

    /// <summary>SSRC we announced and must use when sending on this track (0 if we do not send).</summary>
    public uint LocalSsrc { get; init; }

    /// <summary>Negotiated extension id of <c>urn:ietf:params:rtp-hdrext:sdes:mid</c>, 0 if none.</summary>
    public int MidExtensionId { get; init; }

    /// <summary>Negotiated extension id of abs-send-time, 0 if none.</summary>
    public int AbsSendTimeExtensionId { get; init; }
}

namespace VideoLink.Media;

/// <summary>
/// Datagrams the endpoint dropped, by reason, plus traffic totals. Bad input is counted, never thrown.
/// Values are a snapshot; the live counters are updated with interlocked increments.
/// </summary>
public sealed record MediaCounters
{
    public long DatagramsReceived { get; init; }

    public long UnknownProtocol { get; init; }

    public long MalformedStun { get; init; }

    public long StunUnknownUsername { get; init; }

    public long StunIntegrityFailed { get; init; }

    public long StunFingerprintFailed { get; init; }

    public long FromUnselectedAddress { get; init; }

    public long DtlsDropped { get; init; }

    public long MalformedRtp { get; init; }

    public long SrtpAuthenticationFailed { get; init; }

    public long SrtpReplayed { get; init; }

    public long EarlyPacketsHeld { get; init; }

    public long EarlyPacketsDropped { get; init; }

    public long RtpDelivered { get; init; }

    public long RtcpDelivered { get; init; }

    public long ReceiveErrors { get; init; }

    /// <summary>Exceptions thrown by application handlers of <see cref="WebRtcPeer"/> events (caught and logged).</summary>
    public long HandlerErrors { get; init; }

    public long HandshakesFailed { get; init; }

    /// <summary>RTP packets dropped because a send worker's ring was full (the host cannot keep up).</summary>
    public long SendQueueFull { get; init; }

    public long ConsentExpired { get; init; }
}

/// <summary>The mutable side of <see cref="MediaCounters"/>.</summary>
internal sealed class MediaCounterSet
{
    public long DatagramsReceived;
    public long UnknownProtocol;
    public long MalformedStun;
    public long StunUnknownUsername;
    public long StunIntegrityFailed;
    public long StunFingerprintFailed;
    public long FromUnselectedAddress;
    public long DtlsDropped;
    public long MalformedRtp;
    public long SrtpAuthenticationFailed;
    public long SrtpReplayed;
    public long EarlyPacketsHeld;
    public long EarlyPacketsDropped;
    public long RtpDelivered;
    public long RtcpDelivered;
    public long ReceiveErrors;
    public long HandlerErrors;
    public long HandshakesFailed;
    public long SendQueueFull;
    public long ConsentExpired;

    public MediaCounters Snapshot() => new()
    {
        DatagramsReceived = Interlocked.Read(ref DatagramsReceived),
        UnknownProtocol = Interlocked.Read(ref UnknownProtocol),
        MalformedStun = Interlocked.Read(ref MalformedStun),
        StunUnknownUsername = Interlocked.Read(ref StunUnknownUsername),
        StunIntegrityFailed = Interlocked.Read(ref StunIntegrityFailed),
        StunFingerprintFailed = Interlocked.Read(ref StunFingerprintFailed),
        FromUnselectedAddress = Interlocked.Read(ref FromUnselectedAddress),
        DtlsDropped = Interlocked.Read(ref DtlsDropped),
        MalformedRtp = Interlocked.Read(ref MalformedRtp),
        SrtpAuthenticationFailed = Interlocked.Read(ref SrtpAuthenticationFailed),
        SrtpReplayed = Interlocked.Read(ref SrtpReplayed),
        EarlyPacketsHeld = Interlocked.Read(ref EarlyPacketsHeld),
        EarlyPacketsDropped = Interlocked.Read(ref EarlyPacketsDropped),
        RtpDelivered = Interlocked.Read(ref RtpDelivered),
        RtcpDelivered = Interlocked.Read(ref RtcpDelivered),
        ReceiveErrors = Interlocked.Read(ref ReceiveErrors),
        HandlerErrors = Interlocked.Read(ref HandlerErrors),
        HandshakesFailed = Interlocked.Read(ref HandshakesFailed),
        SendQueueFull = Interlocked.Read(ref SendQueueFull),
        ConsentExpired = Interlocked.Read(ref ConsentExpired),
    };
}

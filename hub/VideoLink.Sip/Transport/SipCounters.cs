namespace VideoLink.Sip.Transport;

/// <summary>Transport counters; read them any time, they only grow.</summary>
public sealed class SipCounters
{
    private long _received, _dropped, _badRequests, _keepAlives, _sendFailures, _sent, _shed;

    /// <summary>Well-formed messages handed to the stack.</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);
    /// <summary>Input that could not be answered and was discarded (garbage, malformed responses, oversize).</summary>
    public long MessagesDropped => Interlocked.Read(ref _dropped);
    /// <summary>Malformed requests answered with 400 (or 413/505).</summary>
    public long BadRequestsAnswered => Interlocked.Read(ref _badRequests);
    public long KeepAlives => Interlocked.Read(ref _keepAlives);
    public long MessagesSent => Interlocked.Read(ref _sent);
    public long SendFailures => Interlocked.Read(ref _sendFailures);
    /// <summary>New requests refused with 503 + Retry-After because too many were already waiting for an answer.</summary>
    public long RequestsShed => Interlocked.Read(ref _shed);

    internal void Received() => Interlocked.Increment(ref _received);
    internal void Dropped() => Interlocked.Increment(ref _dropped);
    internal void BadRequest() => Interlocked.Increment(ref _badRequests);
    internal void KeepAlive() => Interlocked.Increment(ref _keepAlives);
    internal void Sent() => Interlocked.Increment(ref _sent);
    internal void SendFailure() => Interlocked.Increment(ref _sendFailures);
    internal void Shed() => Interlocked.Increment(ref _shed);
}

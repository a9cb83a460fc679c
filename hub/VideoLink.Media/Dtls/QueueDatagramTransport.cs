using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Tls;

namespace VideoLink.Media.Dtls;

/// <summary>
/// Bridges BouncyCastle's blocking <see cref="DatagramTransport"/> to our UDP demultiplexer: the receive loop
/// pushes DTLS records (first byte 20–63, RFC 7983) in, BouncyCastle's handshake thread pulls them out, and
/// what BouncyCastle sends goes straight to the peer's selected address.
/// </summary>
internal sealed class QueueDatagramTransport : DatagramTransport, IDisposable
{
    /// <summary>Path MTU budget for a record (Ethernet 1500 − IP/UDP headers − headroom).</summary>
    public const int Mtu = 1200;
    private const int MaxQueued = 64;

    private readonly BlockingCollection<byte[]> _incoming = new(new ConcurrentQueue<byte[]>(), MaxQueued);
    private readonly Action<ReadOnlySpan<byte>> _send;
    private volatile bool _closed;

    public QueueDatagramTransport(Action<ReadOnlySpan<byte>> send) => _send = send;

    /// <summary>Called by the receive loop; copies because the loop reuses its buffer.</summary>
    public bool Enqueue(ReadOnlySpan<byte> record)
    {
        // Bounded: a flood of DTLS-looking datagrams cannot grow memory; the caller counts the drop.
        return !_closed && _incoming.TryAdd(record.ToArray());
    }

    public int GetReceiveLimit() => 2048;

    public int GetSendLimit() => Mtu;

    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        if (_closed)
        {
            // BouncyCastle treats an exception from the transport as a fatal error and aborts the handshake.
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }

        try
        {
            if (!_incoming.TryTake(out var record, waitMillis))
            {
                return _closed ? throw new TlsFatalAlert(AlertDescription.internal_error) : -1;
            }

            var n = Math.Min(len, record.Length);
            Buffer.BlockCopy(record, 0, buf, off, n);
            return n;
        }
        catch (ObjectDisposedException)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (!_closed)
        {
            _send(buf.AsSpan(off, len));
        }
    }

    public void Close()
    {
        _closed = true;
        _incoming.CompleteAdding();
    }

    public void Dispose()
    {
        Close();
        _incoming.Dispose();
    }
}

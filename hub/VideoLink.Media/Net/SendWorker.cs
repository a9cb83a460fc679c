namespace VideoLink.Media.Net;

/// <summary>
/// One thread that SRTP-protects and sends RTP queued by <see cref="WebRtcPeer.SendRtp"/>. A forwarded packet fans out
/// to every subscriber with its own SRTP keys, so the per-receiver cost (AES-CM + HMAC-SHA1 + one sendto) multiplies
/// by the room size; done inline on the single receive loop, 300 receivers need more than one core's worth of work
/// per publisher packet and the queue in front of the receive loop grows without bound. The endpoint therefore hands
/// each peer to one of a few workers (so its packets stay in order) and the receive loop only copies.
/// The ring is bounded: when it is full the packet is dropped and counted, never queued without limit.
/// What one drain protects goes to the kernel in batches of up to <see cref="DatagramBatch.Capacity"/> datagrams
/// (one <c>sendmmsg</c> each) instead of one <c>sendto</c> per receiver.
/// Steady state allocates nothing: slots are preallocated, pinned (the batch hands their addresses to the kernel)
/// and reused.
/// </summary>
internal sealed class SendWorker : IDisposable
{
    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private readonly WebRtcPeer?[] _owners;
    private readonly Lock _gate = new();
    // No spinning before blocking: on a busy machine spinning (sched_yield) cost more than the futex wake-up it saves.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly Thread _thread;
    private readonly Action<Exception> _onError;
    private readonly Action<DatagramBatch> _send;
    private readonly DatagramBatch _batch = new();
    private readonly int _index;
    private readonly bool _pinToCpu;
    private int _head;
    private int _count;
    private int _signalled;
    private volatile bool _stopping;
    private int _disposed;

    public SendWorker(int index, int capacity, Action<DatagramBatch> send, Action<Exception> onError, bool pinToCpu = false)
    {
        _index = index;
        _pinToCpu = pinToCpu;
        _slots = new byte[capacity][];
        for (var i = 0; i < capacity; i++)
        {
            _slots[i] = GC.AllocateUninitializedArray<byte>(WebRtcPeer.UdpPacketLimit, pinned: true);
        }

        _send = send;
        _lengths = new int[capacity];
        _owners = new WebRtcPeer?[capacity];
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = $"media-send-{index}" };
        _thread.Start();
    }

    /// <summary>Copies an RTP packet into the ring for <paramref name="owner"/>; false if the ring is full.</summary>
    public bool TryEnqueue(WebRtcPeer owner, ReadOnlySpan<byte> rtp)
    {
        lock (_gate)
        {
            if (_count == _slots.Length || _stopping)
            {
                return false;
            }

            var index = (_head + _count) % _slots.Length;
            rtp.CopyTo(_slots[index]);
            _lengths[index] = rtp.Length;
            _owners[index] = owner;
            _count++;
        }

        // Wake the worker only if it may be waiting: under load it drains continuously and needs no signal per packet.
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _wake.Set();
        }

        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // stopping twice must not free the batch twice
        }

        _stopping = true;
        _wake.Set();
        _thread.Join();
        _wake.Dispose();
        _batch.Dispose();
    }

    private void Run()
    {
        if (_pinToCpu)
        {
            ThreadAffinity.TryPinCurrentThread(_index);
        }

        while (!_stopping)
        {
            _wake.Wait();

            // Reset before clearing the flag: a producer that finds the flag clear sets the event again, so no
            // packet queued after the snapshot below can be left waiting.
            _wake.Reset();
            Volatile.Write(ref _signalled, 0);
            DrainAll();
        }
    }

    /// <summary>
    /// Takes what is queued in one go and protects and sends it outside the lock: producers only ever write slots past
    /// head + count, so the taken slots are ours until the head moves (every batch is sent before it does).
    /// </summary>
    private void DrainAll()
    {
        while (true)
        {
            int start, taken;
            lock (_gate)
            {
                start = _head;
                taken = _count;
            }

            if (taken == 0)
            {
                return;
            }

            for (var i = 0; i < taken; i++)
            {
                var index = (start + i) % _slots.Length;
                var owner = _owners[index]!;
                _owners[index] = null;
                try
                {
                    var length = owner.ProtectInPlace(_slots[index], _lengths[index], out var target);
                    if (length > 0)
                    {
                        _batch.Add(_slots[index], length, target!);
                        if (_batch.IsFull)
                        {
                            Flush();
                        }
                    }
                }
#pragma warning disable CA1031 // One peer's failure must not stop sending for the others on this worker.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _onError(ex);
                }
            }

            Flush();
            lock (_gate)
            {
                _head = (start + taken) % _slots.Length;
                _count -= taken;
            }
        }
    }

    private void Flush()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        try
        {
            _send(_batch);
        }
#pragma warning disable CA1031 // A failed send must not stop the worker; the next batch may well go.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _onError(ex);
        }
        finally
        {
            _batch.Clear();
        }
    }
}

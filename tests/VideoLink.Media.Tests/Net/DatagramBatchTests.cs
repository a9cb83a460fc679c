using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using VideoLink.Media.Net;

namespace VideoLink.Media.Tests.Net;

/// <summary>
/// The fan-out's batched send (one sendmmsg for many receivers): every datagram reaches its own receiver, intact and
/// in order, and a receiver that has gone away costs only its own datagrams.
/// </summary>
public sealed class DatagramBatchTests
{
    [Fact]
    public void Batching_IsAvailableOnThisPlatform()
    {
        // The hub runs on 64-bit Linux; if the layouts did not match there, every send would take the slow path.
        Assert.True(DatagramBatch.Supported);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendBatch_ManyDatagramsToSeveralReceivers_EachGetsItsOwnInOrder(bool withAVanishedReceiver)
    {
        const int PerReceiver = 70; // three receivers: 210 datagrams, several full batches
        using var mux = new UdpMuxSocket(new IPEndPoint(IPAddress.Loopback, 0), (_, _) => { }, ex => throw ex);
        var sinks = Enumerable.Range(0, 3).Select(_ =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return s;
        }).ToList();
        var targets = sinks.Select(s => ((IPEndPoint)s.LocalEndPoint!).Serialize()).ToList();
        if (withAVanishedReceiver)
        {
            // A receiver whose port is closed: the kernel may answer with ICMP port unreachable.
            using var gone = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            gone.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            targets.Insert(1, ((IPEndPoint)gone.LocalEndPoint!).Serialize());
        }

        using var batch = new DatagramBatch();
        var slots = new List<byte[]>();
        for (var n = 0; n < PerReceiver; n++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                var slot = GC.AllocateUninitializedArray<byte>(1200, pinned: true);
                slot.AsSpan().Fill((byte)t);
                BinaryPrimitives.WriteInt32BigEndian(slot, n);
                slots.Add(slot);
                batch.Add(slot, 1000 + t, targets[t]);
                if (batch.IsFull)
                {
                    mux.SendBatch(batch);
                    batch.Clear();
                }
            }
        }

        mux.SendBatch(batch);
        batch.Clear();

        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        foreach (var sink in sinks)
        {
            var t = targets.FindIndex(a => a.Equals(((IPEndPoint)sink.LocalEndPoint!).Serialize()));
            for (var n = 0; n < PerReceiver; n++)
            {
                var received = await sink.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                Assert.Equal(1000 + t, received);
                Assert.Equal(n, BinaryPrimitives.ReadInt32BigEndian(buffer));
                Assert.All(buffer.AsSpan(4, received - 4).ToArray(), b => Assert.Equal((byte)t, b));
            }

            Assert.Equal(0, sink.Available);
            sink.Dispose();
        }

        GC.KeepAlive(slots);
    }

    [Fact]
    public void Add_BeyondCapacity_IsRefused()
    {
        using var batch = new DatagramBatch();
        var slot = GC.AllocateUninitializedArray<byte>(16, pinned: true);
        var target = new IPEndPoint(IPAddress.Loopback, 9).Serialize();
        for (var i = 0; i < DatagramBatch.Capacity; i++)
        {
            batch.Add(slot, 16, target);
        }

        Assert.True(batch.IsFull);
        Assert.Throws<InvalidOperationException>(() => batch.Add(slot, 16, target));
    }
}

using System.Threading.Channels;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Transport;
using VideoLink.Hardware.Visca;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Queue;

public sealed class DevicePortTests
{
    private static DeviceRequest Request(string name, RequestPriority priority = RequestPriority.Normal) => new()
    {
        Name = name,
        Payload = new byte[] { 0x81, (byte)name[0], 0xFF },
        Priority = priority,
        Classify = static frame => frame[1] == 0x51 ? ReplyVerdict.Success : ReplyVerdict.Unrelated,
    };

    [Fact]
    public async Task HighPriorityStop_OvertakesQueuedPolls_ButNotTheRequestInFlight()
    {
        var device = new ScriptedTransport();
        await using var port = new DevicePort(device, ViscaFramer.Instance);
        var first = port.SendAsync(Request("A"), CancellationToken.None);
        await device.WaitForWritesAsync(1);

        var polls = Enumerable.Range(0, 3).Select(i => port.SendAsync(Request("p", RequestPriority.Polling), CancellationToken.None)).ToList();
        var stop = port.SendAsync(Request("S", RequestPriority.High), CancellationToken.None);
        for (int i = 0; i < 5; i++)
        {
            await device.WaitForWritesAsync(i + 1);
            device.Reply(0x90, 0x51, 0xFF);
        }

        await Task.WhenAll(polls.Append(first).Append(stop)).WaitAsync(Bound);
        Assert.Equal("ASppp", string.Concat(device.Writes.Select(w => (char)w[1])));
        Assert.All(polls.Append(first).Append(stop), t => Assert.True(t.Result.IsSuccess));
    }

    [Fact]
    public async Task CancelledWhileWaiting_EndsCancelled_AndQueueGoesOn()
    {
        var device = new ScriptedTransport();
        await using var port = new DevicePort(device, ViscaFramer.Instance, new DevicePortOptions { ReplyTimeout = TimeSpan.FromSeconds(10) });
        using var cancel = new CancellationTokenSource();

        var waiting = port.SendAsync(Request("A"), cancel.Token);
        await device.WaitForWritesAsync(1);
        await cancel.CancelAsync();
        var result = await waiting.WaitAsync(Bound);
        var next = port.SendAsync(Request("B"), CancellationToken.None);
        await device.WaitForWritesAsync(2);
        device.Reply(0x90, 0x51, 0xFF);

        Assert.Equal(DeviceResultStatus.Cancelled, result.Status);
        Assert.True((await next.WaitAsync(Bound)).IsSuccess);
    }

    [Fact]
    public async Task ClassifierThatThrows_FailsOnlyItsRequest()
    {
        var device = new ScriptedTransport();
        await using var port = new DevicePort(device, ViscaFramer.Instance);
        var broken = new DeviceRequest { Name = "broken", Payload = new byte[] { 0x81, 0x01, 0xFF }, Classify = _ => throw new InvalidOperationException("driver bug") };

        var failed = port.SendAsync(broken, CancellationToken.None);
        await device.WaitForWritesAsync(1);
        device.Reply(0x90, 0x51, 0xFF);
        var ok = port.SendAsync(Request("B"), CancellationToken.None);
        await device.WaitForWritesAsync(2);
        device.Reply(0x90, 0x51, 0xFF);

        Assert.Equal(DeviceResultStatus.Rejected, (await failed.WaitAsync(Bound)).Status);
        Assert.True((await ok.WaitAsync(Bound)).IsSuccess);
    }

    [Fact]
    public async Task FramesWithNoRequestInFlight_AreRaisedAsUnsolicited()
    {
        var device = new ScriptedTransport();
        await using var port = new DevicePort(device, ViscaFramer.Instance);
        var seen = Channel.CreateUnbounded<string>();
        port.UnsolicitedFrame += (_, e) => seen.Writer.TryWrite(ToHex(e.Frame.Span));
        await port.WaitConnectedAsync(Bound, CancellationToken.None);

        device.Reply(0x90, 0x38, 0xFF);

        Assert.Equal("90 38 FF", await seen.Reader.ReadAsync().AsTask().WaitAsync(Bound));
    }

    /// <summary>An in-memory device link: records writes, delivers scripted replies.</summary>
    private sealed class ScriptedTransport : TransportBase
    {
        private readonly Channel<byte[]> _replies = Channel.CreateUnbounded<byte[]>();
        private readonly List<byte[]> _writes = [];

        public override string Description => "scripted";

        public IReadOnlyList<byte[]> Writes
        {
            get
            {
                lock (_writes)
                {
                    return [.. _writes];
                }
            }
        }

        public void Reply(params byte[] bytes) => _replies.Writer.TryWrite(bytes);

        public Task WaitForWritesAsync(int count) => WaitUntilAsync(() => Writes.Count >= count, $"{count} writes");

        public override ValueTask OpenAsync(CancellationToken cancellationToken)
        {
            SetState(TransportState.Open);
            return ValueTask.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            lock (_writes)
            {
                _writes.Add(data.ToArray());
            }

            return ValueTask.CompletedTask;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            var bytes = await _replies.Reader.ReadAsync(cancellationToken);
            bytes.CopyTo(buffer);
            return bytes.Length;
        }

        public override ValueTask CloseAsync(CancellationToken cancellationToken)
        {
            SetState(TransportState.Closed);
            return ValueTask.CompletedTask;
        }
    }
}

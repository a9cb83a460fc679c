using System.Diagnostics;
using VideoLink.LoadGen.Measure;
using VideoLink.LoadGen.Media;
using VideoLink.LoadGen.Peers;
using VideoLink.LoadGen.Targets;
using VideoLink.Media.Dtls;

namespace VideoLink.LoadGen;

/// <summary>Settings of a whole invocation.</summary>
internal sealed record LoadOptions(
    IReadOnlyList<int> ReceiverCounts,
    double MeasureSeconds,
    double WarmupSeconds,
    int ConnectConcurrency,
    StreamShape Shape,
    System.Net.IPAddress? ReceiverHostAddress);

/// <summary>The figures of one (target, N) run.</summary>
internal sealed record RunResult(
    string Target,
    int Receivers,
    int Connected,
    long Expected,
    long Received,
    double LossPercent,
    double P50Milliseconds,
    double P99Milliseconds,
    double MaxBucketMilliseconds,
    double ReadP99Milliseconds,
    double CpuPercent,
    double CpuMicrosecondsPerPacket,
    double RssMegabytes,
    double GeneratorCpuPercent,
    long SrtpFailures,
    long ReceiverSocketDrops,
    long ServerSocketDrops,
    long? ServerSendDrops,
    double SetupSeconds,
    string LoadBefore,
    string LoadAfter);

/// <summary>
/// One run: a room, the publisher, N receivers connected a few at a time, a warm-up of at least one keyframe interval,
/// then the measured window — server CPU (utime+stime) and the generator's own CPU over exactly that window, loss and
/// delay over the packets sent inside it.
/// </summary>
internal sealed class ConferenceRun(IConferenceTarget target, LoadOptions options, DtlsCertificate certificate, TextWriter log)
{
    private const int PacketsPerSecondBound = 400;
    private const int MaxRunSeconds = 900;

    /// <summary>The shared receive socket's buffer: as many bytes as every receiver's own socket had together, capped.</summary>
    private const int ReceiverHostBufferBytes = 256 * 1024 * 1024;

    public async Task<RunResult> RunAsync(int receiverCount, CancellationToken cancellationToken)
    {
        var loadBefore = ProcessSampler.LoadAverage();
        var capacity = PacketsPerSecondBound * MaxRunSeconds;
        var window = new MeasurementWindow();
        var setup = Stopwatch.StartNew();
        await target.OpenRoomAsync(cancellationToken).ConfigureAwait(false);

        var publisher = new LoadPeer(target.PeerAddress, certificate, controlling: true, stats: null, window: null);
        var stream = new PublisherStream(publisher, options.Shape, capacity);
        var receivers = new List<LoadPeer>();
        using var host = options.ReceiverHostAddress is null || !target.AcceptsSharedReceivers
            ? null
            : new ReceiverHost(options.ReceiverHostAddress, receiverCount, ReceiverHostBufferBytes);
        using var keepAlive = new CancellationTokenSource();
        var keepAliveLoop = Task.CompletedTask;
        try
        {
            await target.PublishAsync(publisher, SdpWriter.Offer(publisher, "sendonly", stream.AudioSsrc, stream.VideoSsrc), cancellationToken).ConfigureAwait(false);
            await publisher.ConnectAsync(target.IsFullIceAgent, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
            stream.Start();
            keepAliveLoop = KeepAliveAsync(publisher, receivers, keepAlive.Token);

            var failures = await ConnectReceiversAsync(receiverCount, capacity, window, receivers, host, cancellationToken).ConfigureAwait(false);
            setup.Stop();
            log.WriteLine($"[{target.Name}] N={receiverCount}: {receivers.Count} connected, {failures} failed, set-up {setup.Elapsed.TotalSeconds:F1} s");

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken).ConfigureAwait(false);

            var ports = receivers.Select(r => r.LocalEndPoint.Port).ToHashSet();
            var drops0 = UdpDrops.Sum(ports);
            var serverPorts = receivers.Select(r => r.RemotePort).Append(publisher.RemotePort).ToHashSet();
            var serverDrops0 = UdpDrops.Sum(serverPorts);
            var sendDrops0 = await target.SendDropsAsync(cancellationToken).ConfigureAwait(false);
            var self = Process.GetCurrentProcess();
            var serverCpu0 = ProcessSampler.CpuSeconds(target.ProcessId);
            var ownCpu0 = self.TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            window.Open(start);
            await Task.Delay(TimeSpan.FromSeconds(options.MeasureSeconds), cancellationToken).ConfigureAwait(false);
            var end = Stopwatch.GetTimestamp();
            window.Close(end);
            var serverCpu1 = ProcessSampler.CpuSeconds(target.ProcessId);
            self.Refresh();
            var ownCpu1 = self.TotalProcessorTime;
            var rss = ProcessSampler.RssMegabytes(target.ProcessId);
            var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;

            // Packets sent near the end of the window may still be in flight: give them time to land.
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            var drops = UdpDrops.Sum(ports) - drops0;
            var serverDrops = UdpDrops.Sum(serverPorts) - serverDrops0;
            var sendDrops = await target.SendDropsAsync(cancellationToken).ConfigureAwait(false) - sendDrops0;

            long expected = 0, received = 0, srtpFailures = 0;
            if (stream.TryGetIndexRange(start, end, out var first, out var last))
            {
                var perReceiver = last - first + 1;
                expected = (long)perReceiver * receiverCount; // receivers that failed to connect count as total loss
                foreach (var r in receivers)
                {
                    received += r.Stats!.CountSeen(first, last);
                    srtpFailures += r.Stats.SrtpFailures;
                }
            }

            var serverCpu = serverCpu1 - serverCpu0;
            return new RunResult(
                target.Name,
                receiverCount,
                receivers.Count,
                expected,
                received,
                expected == 0 ? 100 : 100.0 * (expected - received) / expected,
                window.Delays.Percentile(0.50),
                window.Delays.Percentile(0.99),
                window.Delays.Percentile(1.0),
                window.ReadDelays.Percentile(0.99),
                100.0 * serverCpu / seconds,
                received == 0 ? double.NaN : serverCpu * 1e6 / received,
                rss,
                100.0 * (ownCpu1 - ownCpu0).TotalSeconds / seconds,
                srtpFailures,
                drops,
                serverDrops,
                sendDrops,
                setup.Elapsed.TotalSeconds,
                loadBefore,
                ProcessSampler.LoadAverage());
        }
        finally
        {
            await keepAlive.CancelAsync().ConfigureAwait(false);
            await keepAliveLoop.ConfigureAwait(false);
            stream.Dispose();
            try
            {
                await target.CloseRoomAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException)
            {
                log.WriteLine($"[{target.Name}] closing the room failed: {ex.Message}");
            }

            foreach (var peer in receivers)
            {
                await peer.DisposeAsync().ConfigureAwait(false);
            }

            await publisher.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> ConnectReceiversAsync(int count, int capacity, MeasurementWindow window, List<LoadPeer> connected, ReceiverHost? host, CancellationToken cancellationToken)
    {
        var failures = 0;
        using var slots = new SemaphoreSlim(options.ConnectConcurrency);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            var peer = host is null
                ? new LoadPeer(target.PeerAddress, certificate, controlling: !target.IsFullIceAgent, new ReceiverStats(capacity), window)
                : new LoadPeer(host, certificate, controlling: !target.IsFullIceAgent, new ReceiverStats(capacity), window);
            try
            {
                await target.SubscribeAsync(peer, cancellationToken).ConfigureAwait(false);
                await peer.ConnectAsync(target.IsFullIceAgent, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
                lock (connected)
                {
                    connected.Add(peer);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException or FormatException
                or Org.BouncyCastle.Crypto.Tls.TlsFatalAlert or IOException)
            {
                Interlocked.Increment(ref failures);
                log.WriteLine($"[{target.Name}] receiver {i} failed: {ex.GetType().Name}: {ex.Message}");
                await peer.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return failures;
    }

    /// <summary>Consent freshness (RFC 7675): a check on every pair every 4 s, well inside both servers' timeouts.</summary>
    private static async Task KeepAliveAsync(LoadPeer publisher, List<LoadPeer> receivers, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(4));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                publisher.SendCheck();
                LoadPeer[] snapshot;
                lock (receivers)
                {
                    snapshot = [.. receivers];
                }

                foreach (var peer in snapshot)
                {
                    peer.SendCheck();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Run over.
        }
    }
}

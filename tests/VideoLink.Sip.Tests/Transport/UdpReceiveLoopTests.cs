using System.Net;
using VideoLink.Sip.Registrar;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Transport;

/// <summary>The UDP receive loops: several threads on one socket, bad input among good, and shedding by queue delay.</summary>
public sealed class UdpReceiveLoopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private static string Options(int port, string branch) =>
        "OPTIONS sip:127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK{branch};rport\r\n" +
        "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\n" +
        $"Call-ID: {branch}@test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task ManySourcesRegisteringAtOnce_EachIsAnsweredExactlyOnce_ByConcurrentLoops()
    {
        await using var server = await TestServer.StartAsync(o => o.UdpReceiveLoops = 4);
        const int phones = 40;
        var peers = Enumerable.Range(0, phones).Select(_ => new RawPeer()).ToArray();
        try
        {
            for (int i = 0; i < phones; i++)
            {
                server.Directory.Set(new SipAccount($"phone{i}", $"secret-{i}"));
            }

            var finals = await Task.WhenAll(peers.Select((peer, i) =>
                new RawRegistration(peer, server.Server.UdpEndPoint!, $"phone{i}", $"secret-{i}")
                    .RegisterAsync($"<sip:phone{i}@127.0.0.1:{peer.Port}>", 300))).WaitAsync(Wait);
            var extra = await Task.WhenAll(peers.Select(p => p.ReceiveAsync(Quiet))).WaitAsync(Wait);
            await Poll.UntilAsync(() => server.Server.Counters.MessagesReceived >= 2 * phones, Wait, "every request counted");

            Assert.Equal(4, server.Server.UdpReceiveLoops);
            Assert.All(finals, f => Assert.StartsWith("SIP/2.0 200", f, StringComparison.Ordinal));
            Assert.All(extra, e => Assert.Null(e)); // one 401 and one 200 each, nothing twice
            Assert.Equal(2 * phones, server.Server.Counters.MessagesReceived);
            Assert.All(Enumerable.Range(0, phones), i => Assert.True(server.Server.IsOnline($"phone{i}")));
        }
        finally
        {
            foreach (var p in peers)
            {
                p.Dispose();
            }
        }
    }

    [Fact]
    public async Task GarbageDatagramsAmongRequests_AreCountedAsDropped_AndEveryRequestIsServed()
    {
        await using var server = await TestServer.StartAsync(o => o.UdpReceiveLoops = 2);
        using var attacker = new RawPeer();
        var peers = Enumerable.Range(0, 20).Select(_ => new RawPeer()).ToArray();
        try
        {
            byte[] garbage = [0x00, 0xFF, 0x13, 0x37, (byte)'S', (byte)'I', (byte)'P'];
            var sends = new List<Task>();
            for (int i = 0; i < peers.Length; i++)
            {
                sends.Add(attacker.SendAsync(garbage, server.Server.UdpEndPoint!));
                sends.Add(peers[i].SendAsync(Options(peers[i].Port, $"mix{i}"), server.Server.UdpEndPoint!));
            }
            await Task.WhenAll(sends).WaitAsync(Wait);

            var answers = await Task.WhenAll(peers.Select(p => p.ExpectAsync("SIP/2.0 200", Wait))).WaitAsync(Wait);
            await Poll.UntilAsync(() => server.Server.Counters.MessagesDropped == peers.Length, Wait, "every garbage datagram counted");
            // A request is counted once the stack has taken it in — just after its answer left.
            await Poll.UntilAsync(() => server.Server.Counters.MessagesReceived >= peers.Length, Wait, "every request counted");

            Assert.Equal(peers.Length, answers.Length);
            Assert.Equal(peers.Length, server.Server.Counters.MessagesReceived);
            Assert.Null(await attacker.ReceiveAsync(Quiet)); // garbage is never answered
        }
        finally
        {
            foreach (var p in peers)
            {
                p.Dispose();
            }
        }
    }

    /// <summary>Blocks the receive loop inside the account look-up until released (what a slow handler does to the queue).</summary>
    private sealed class BlockingDirectory(ISipAccountDirectory inner, string blockedUser) : ISipAccountDirectory
    {
        public ManualResetEventSlim Release { get; } = new();
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<SipAccount?> FindAsync(string user, CancellationToken cancellationToken)
        {
            if (user == blockedUser)
            {
                Entered.TrySetResult();
                Release.Wait(TimeSpan.FromSeconds(10), cancellationToken);
            }
            return inner.FindAsync(user, cancellationToken);
        }
    }

    [Fact]
    public async Task RequestThatWaitedInTheSocketLongerThanMaxReceiveDelay_Gets503WithRetryAfter_ThenServiceResumes()
    {
        Assert.True(OperatingSystem.IsLinux(), "queue delay comes from Linux kernel timestamps (SIOCGSTAMP)");
        var directory = new BlockingDirectory(new InMemorySipAccountDirectory(
            new SipAccount("alice", "alice-secret"), new SipAccount("bob", "bob-secret")), "alice");
        var options = new SipOptions
        {
            Domain = TestServer.Domain, ListenAddress = "127.0.0.1", AdvertisedAddress = "127.0.0.1", UdpPort = 0, TcpPort = -1,
            T1 = TimeSpan.FromMilliseconds(100), T2 = TimeSpan.FromMilliseconds(400), T4 = TimeSpan.FromMilliseconds(500),
            UdpReceiveLoops = 1, MaxReceiveDelay = TimeSpan.FromMilliseconds(300), OverloadRetryAfterSeconds = 3,
        };
        var server = new SipServer(options, directory);
        await server.StartAsync(CancellationToken.None);
        using var alicePeer = new RawPeer();
        using var bobPeer = new RawPeer();
        try
        {
            var alice = new RawRegistration(alicePeer, server.UdpEndPoint!, "alice", "alice-secret");
            var bob = new RawRegistration(bobPeer, server.UdpEndPoint!, "bob", "bob-secret");
            var aliceDone = alice.RegisterAsync($"<sip:alice@127.0.0.1:{alicePeer.Port}>", 300);
            await directory.Entered.Task.WaitAsync(Wait); // the only loop is now stuck in alice's look-up

            await bobPeer.SendAsync(bob.Register($"<sip:bob@127.0.0.1:{bobPeer.Port}>", 300, null), server.UdpEndPoint!);
            var queuedAt = DateTime.UtcNow;
            await Poll.UntilAsync(() => DateTime.UtcNow - queuedAt > TimeSpan.FromMilliseconds(800), Wait); // bob's REGISTER ages in the kernel queue
            directory.Release.Set();
            string refused = await bobPeer.ExpectAsync("SIP/2.0 ", Wait);
            string aliceFinal = await aliceDone.WaitAsync(Wait);
            string later = await bob.RegisterAsync($"<sip:bob@127.0.0.1:{bobPeer.Port}>", 300).WaitAsync(Wait);

            Assert.StartsWith("SIP/2.0 503", refused, StringComparison.Ordinal);
            Assert.Contains("\r\nRetry-After: 3\r\n", refused, StringComparison.Ordinal);
            Assert.StartsWith("SIP/2.0 200", aliceFinal, StringComparison.Ordinal); // admitted before the queue grew
            Assert.StartsWith("SIP/2.0 200", later, StringComparison.Ordinal);
            Assert.Equal(1, server.Counters.RequestsShed);
        }
        finally
        {
            directory.Release.Set();
            await server.StopAsync(CancellationToken.None).WaitAsync(Wait);
            directory.Release.Dispose();
        }
    }
}

using VideoLink.Sip.Registrar;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Registrar;

/// <summary>
/// The overload guard: when too many requests already wait for an answer (here: the account directory is stalled),
/// new out-of-dialog requests get 503 with Retry-After at once instead of piling up, and the server recovers by itself.
/// </summary>
public sealed class OverloadTests
{
    private sealed class StalledDirectory(ISipAccountDirectory inner) : ISipAccountDirectory
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Waiting;

        public async ValueTask<SipAccount?> FindAsync(string user, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Waiting);
            await Gate.Task.WaitAsync(cancellationToken);
            return await inner.FindAsync(user, cancellationToken);
        }
    }

    [Fact]
    public async Task StalledRequests_AtTheLimit_NewRegisterGets503WithRetryAfter_ThenServiceResumes()
    {
        var accounts = new InMemorySipAccountDirectory(
            new SipAccount("alice", "alice-secret", "Alice"), new SipAccount("bob", "bob-secret", "Bob"), new SipAccount("carol", "carol-secret", "Carol"));
        var directory = new StalledDirectory(accounts);
        var options = new SipOptions
        {
            Domain = TestServer.Domain, ListenAddress = "127.0.0.1", AdvertisedAddress = "127.0.0.1", UdpPort = 0, TcpPort = 0,
            T1 = TimeSpan.FromMilliseconds(100), T2 = TimeSpan.FromMilliseconds(400), T4 = TimeSpan.FromMilliseconds(500),
            MaxPendingRequests = 2, OverloadRetryAfterSeconds = 7,
        };
        var server = new SipServer(options, directory);
        await server.StartAsync(CancellationToken.None);
        try
        {
            using var alicePeer = new RawPeer();
            using var bobPeer = new RawPeer();
            using var carolPeer = new RawPeer();
            var stalled = new[] { (alicePeer, "alice", "alice-secret"), (bobPeer, "bob", "bob-secret") }
                .Select(p => new RawRegistration(p.Item1, server.UdpEndPoint!, p.Item2, p.Item3).RegisterAsync($"<sip:{p.Item2}@127.0.0.1:{p.Item1.Port}>", 300))
                .ToArray();
            await Poll.UntilAsync(() => Volatile.Read(ref directory.Waiting) == 2, TimeSpan.FromSeconds(5));
            var carol = new RawRegistration(carolPeer, server.UdpEndPoint!, "carol", "carol-secret");

            await carolPeer.SendAsync(carol.Register($"<sip:carol@127.0.0.1:{carolPeer.Port}>", 300, null), server.UdpEndPoint!);
            string refused = await carolPeer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5));
            directory.Gate.SetResult();
            string[] admitted = await Task.WhenAll(stalled).WaitAsync(TimeSpan.FromSeconds(10));
            string later = await carol.RegisterAsync($"<sip:carol@127.0.0.1:{carolPeer.Port}>", 300).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.StartsWith("SIP/2.0 503", refused, StringComparison.Ordinal);
            Assert.Contains("\r\nRetry-After: 7\r\n", refused, StringComparison.Ordinal);
            Assert.All(admitted, ok => Assert.StartsWith("SIP/2.0 200", ok, StringComparison.Ordinal));
            Assert.StartsWith("SIP/2.0 200", later, StringComparison.Ordinal);
            Assert.Equal(1, server.Counters.RequestsShed);
            Assert.Equal(0, server.PendingRequests);
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }
}

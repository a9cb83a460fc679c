using VideoLink.Sip.Registrar;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Registrar;

public sealed class RegistrarTests
{
    [Fact]
    public async Task Register_WithSha256_IsAccepted()
    {
        await using var server = await TestServer.StartAsync(o => o.DigestAlgorithms = "SHA-256, MD5");
        using var peer = new RawPeer();
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        string ok = await reg.RegisterAsync($"<sip:alice@127.0.0.1:{peer.Port}>", 300, "SHA-256");

        Assert.StartsWith("SIP/2.0 200", ok, StringComparison.Ordinal);
        Assert.True(server.Server.IsOnline("alice"));
    }

    [Fact]
    public async Task Register_ByDefault_IsChallengedWithMd5Only()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        await peer.SendAsync(reg.Register("<sip:alice@127.0.0.1:1>", 60, null), server.Server.UdpEndPoint!);
        string challenge = await peer.ExpectAsync("SIP/2.0 401", TimeSpan.FromSeconds(5));

        Assert.Single(challenge.Split("\r\n"), l => l.StartsWith("WWW-Authenticate:", StringComparison.Ordinal));
        Assert.Contains("algorithm=MD5, qop=\"auth\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_SeveralContacts_AreAllBoundAndListed()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        await reg.RegisterAsync("<sip:alice@127.0.0.1:5071>;expires=300, <sip:alice@127.0.0.1:5072>", 600);
        string ok = await reg.RegisterAsync("<sip:alice@127.0.0.1:5073>", 600);

        Assert.StartsWith("SIP/2.0 200", ok, StringComparison.Ordinal);
        Assert.Equal(3, server.Server.GetContacts("alice").Count);
        Assert.Equal(3, ok.Split("\r\n").Count(l => l.StartsWith("Contact:", StringComparison.Ordinal)));
        var registrations = server.Server.GetRegistrations("alice");
        Assert.All(registrations, r => Assert.Equal("UDP", r.Transport));
        Assert.All(registrations, r => Assert.Equal($"127.0.0.1:{peer.Port}", r.Source));
        Assert.Contains(registrations, r => r.Contact == "sip:alice@127.0.0.1:5073");
    }

    [Fact]
    public async Task Register_ExpiresZero_RemovesBindingAndRaisesOffline()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "bob", "bob-secret");
        var events = new List<SipRegistrationChangedEventArgs>();
        server.Server.RegistrationChanged += (_, e) => { lock (events) { events.Add(e); } };

        await reg.RegisterAsync("<sip:bob@127.0.0.1:5080>", 300);
        string ok = await reg.RegisterAsync("<sip:bob@127.0.0.1:5080>", 0);

        Assert.StartsWith("SIP/2.0 200", ok, StringComparison.Ordinal);
        Assert.False(server.Server.IsOnline("bob"));
        lock (events)
        {
            Assert.Equal([true, false], events.Select(e => e.IsOnline));
        }
    }

    [Fact]
    public async Task Register_NotRefreshed_ExpiresAndRaisesOfflineOnTheClock()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(null, time);
        using var peer = new RawPeer();
        var offline = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.RegistrationChanged += (_, e) =>
        {
            if (!e.IsOnline)
            {
                offline.TrySetResult(e.User);
            }
        };
        await new RawRegistration(peer, server.Server.UdpEndPoint!, "bob", "bob-secret").RegisterAsync("<sip:bob@127.0.0.1:5085>", 60);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(server.Server.IsOnline("bob"));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("bob", await offline.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(server.Server.IsOnline("bob"));
    }

    [Fact]
    public async Task Register_WildcardWithExpiresZero_RemovesAll()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "bob", "bob-secret");
        await reg.RegisterAsync("<sip:bob@127.0.0.1:5081>, <sip:bob@127.0.0.1:5082>", 300);

        string ok = await reg.RegisterAsync("*", 0);

        Assert.StartsWith("SIP/2.0 200", ok, StringComparison.Ordinal);
        Assert.Empty(server.Server.GetContacts("bob"));
    }

    [Fact]
    public async Task Register_TooShortExpires_Gets423WithMinExpires()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        string response = await reg.RegisterAsync("<sip:alice@127.0.0.1:5090>", 5);

        Assert.StartsWith("SIP/2.0 423", response, StringComparison.Ordinal);
        Assert.Equal("60", TestDigest.Header(response, "Min-Expires"));
    }

    [Fact]
    public async Task Register_ForAnotherUsersAddress_IsForbidden()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        // bob's credentials, alice's address of record.
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "alice", "bob-secret");
        await peer.SendAsync(reg.Register("<sip:x@127.0.0.1:1>", 300, null), server.Server.UdpEndPoint!);
        string challenge = await peer.ExpectAsync("SIP/2.0 401", TimeSpan.FromSeconds(5));
        string auth = TestDigest.Authorization(challenge, "WWW-Authenticate", "REGISTER", $"sip:{TestServer.Domain}", "bob", "bob-secret");

        await peer.SendAsync(reg.Register("<sip:x@127.0.0.1:1>", 300, auth), server.Server.UdpEndPoint!);

        Assert.StartsWith("SIP/2.0 403", await peer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
        Assert.False(server.Server.IsOnline("alice"));
    }

    [Fact]
    public async Task Register_RepeatedWrongPasswords_ThrottleTheSourceEvenForTheRightOne()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxFailedAuthPerSource = 3);
        using var peer = new RawPeer();
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        for (int i = 0; i < 3; i++)
        {
            Assert.StartsWith("SIP/2.0 403", await reg.RegisterAsync("<sip:alice@127.0.0.1:5000>", 300, passwordOverride: "guess" + i), StringComparison.Ordinal);
        }
        await peer.SendAsync(reg.Register("<sip:alice@127.0.0.1:5000>", 300, null), server.Server.UdpEndPoint!);
        string throttled = await peer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5));

        Assert.StartsWith("SIP/2.0 403 Too Many Failed", throttled, StringComparison.Ordinal);
        Assert.False(server.Server.IsOnline("alice"));
    }

    [Fact]
    public async Task Register_ReusedNonceCount_IsChallengedAgainAsStale()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        var reg = new RawRegistration(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");
        await peer.SendAsync(reg.Register("<sip:alice@127.0.0.1:5000>", 300, null), server.Server.UdpEndPoint!);
        string challenge = await peer.ExpectAsync("SIP/2.0 401", TimeSpan.FromSeconds(5));
        string auth = TestDigest.Authorization(challenge, "WWW-Authenticate", "REGISTER", $"sip:{TestServer.Domain}", "alice", "alice-secret");

        await peer.SendAsync(reg.Register("<sip:alice@127.0.0.1:5000>", 300, auth), server.Server.UdpEndPoint!);
        Assert.StartsWith("SIP/2.0 200", await peer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
        await peer.SendAsync(reg.Register("<sip:alice@127.0.0.1:5000>", 300, auth), server.Server.UdpEndPoint!);
        string replay = await peer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5));

        Assert.StartsWith("SIP/2.0 401", replay, StringComparison.Ordinal);
        Assert.Contains("stale=TRUE", replay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ToForeignDomain_IsRefused()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        string text = new RawRegistration(peer, server.Server.UdpEndPoint!, "alice", "x").Register("<sip:a@127.0.0.1:1>", 60, null)
            .Replace(TestServer.Domain, "example.org", StringComparison.Ordinal);

        await peer.SendAsync(text, server.Server.UdpEndPoint!);

        Assert.StartsWith("SIP/2.0 403", await peer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
    }
}

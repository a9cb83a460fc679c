using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Dialogs;

/// <summary>Dial-out outcomes decided before any INVITE is sent.</summary>
public sealed class DialOutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DialOut_ToForeignDomain_WhenExternalDialOutIsOff_IsRefusedWithoutSendingAnything()
    {
        await using var server = await TestServer.StartAsync(o => o.AllowExternalDialOut = false);
        long sent = server.Server.Counters.MessagesSent;

        var outcome = await server.Server.DialAsync(new SipDialRequest("sip:bob@example.com"), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Rejected, outcome.Status);
        Assert.Equal(403, outcome.StatusCode);
        Assert.Equal(sent, server.Server.Counters.MessagesSent);
        Assert.Equal(0, server.Server.ActiveCalls);
    }

    [Fact]
    public async Task DialOut_ToUnknownAccount_IsRejected404()
    {
        await using var server = await TestServer.StartAsync();

        var outcome = await server.Server.DialAsync(new SipDialRequest("nobody"), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Rejected, outcome.Status);
        Assert.Equal(404, outcome.StatusCode);
    }

    [Fact]
    public async Task DialOut_ToUnregisteredAccount_IsUnreachable()
    {
        await using var server = await TestServer.StartAsync();

        var outcome = await server.Server.DialAsync(new SipDialRequest("carol"), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Unreachable, outcome.Status);
        Assert.Equal(480, outcome.StatusCode);
    }

    [Fact]
    public async Task DialOut_WithMalformedTarget_Throws()
    {
        await using var server = await TestServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => server.Server.DialAsync(new SipDialRequest("sip:@"), CancellationToken.None).WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => server.Server.DialAsync(new SipDialRequest("bob") { RingTimeout = TimeSpan.Zero }, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task DialOut_ToContactThatNeverResponds_IsUnreachableAtRingTimeout()
    {
        await using var server = await TestServer.StartAsync();
        using var registrar = new RawPeer();
        using var deadPhone = new RawPeer(); // registered contact that never answers anything
        string ok = await new RawRegistration(registrar, server.Server.UdpEndPoint!, "bob", "bob-secret").RegisterAsync($"<sip:bob@127.0.0.1:{deadPhone.Port}>", 300);
        Assert.StartsWith("SIP/2.0 200", ok, StringComparison.Ordinal);

        var outcome = await server.Server.DialAsync(new SipDialRequest("bob") { RingTimeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Unreachable, outcome.Status);
        Assert.Equal(408, outcome.StatusCode);
        Assert.Null(outcome.CallId);
    }
}

using System.Globalization;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Interop;

/// <summary>The hub dials out (meetings calling sites) to SIPp phones registered with digest first.</summary>
public sealed class DialOutSippTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Starts a SIPp UAS running <paramref name="scenario"/> and registers it as <paramref name="user"/>.</summary>
    private static async Task<Task<Sipp.Result>> StartPhoneAsync(TestServer server, string scenario, string user, string password)
    {
        int phonePort = Sipp.FreePort();
        var phone = Sipp.RunAsync(scenario, server.UdpPort, ["-mp", Sipp.FreePort().ToString(CultureInfo.InvariantCulture)], Timeout, "u1", phonePort);
        await Sipp.UntilListeningAsync(phonePort, TimeSpan.FromSeconds(10)); // a dial must not race the phone's start-up
        var register = await Sipp.RunAsync("register_contact.xml", server.UdpPort,
            ["-key", "user", user, "-au", user, "-ap", password, "-s", "x", "-key", "domain", "127.0.0.1",
             "-key", "contact_port", phonePort.ToString(CultureInfo.InvariantCulture)], Timeout).WaitAsync(Timeout + TimeSpan.FromSeconds(15));
        Assert.True(register.ExitCode == 0, register.ToString());
        Assert.True(server.Server.IsOnline(user));
        return phone;
    }

    private static TaskCompletionSource<SipCallEndedEventArgs> WatchCallEnded(TestServer server)
    {
        var ended = new TaskCompletionSource<SipCallEndedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.CallEnded += (_, e) => ended.TrySetResult(e);
        return ended;
    }

    [Fact]
    public async Task DialOut_ToRegisteredAccount_IsAnsweredAndHungUpByTheHub()
    {
        await using var server = await TestServer.StartAsync();
        var phone = await StartPhoneAsync(server, "uas_answer.xml", "bob", "bob-secret");
        var ended = WatchCallEnded(server);

        var outcome = await server.Server.DialAsync(new SipDialRequest("bob") { CallerDisplayName = "Meeting 7" }, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Answered, outcome.Status);
        Assert.Equal(200, outcome.StatusCode);
        Assert.NotNull(outcome.CallId);
        Assert.Equal(2, outcome.Streams.Count); // audio and video anchored, ready for the meeting's media
        Assert.All(outcome.Streams, s => Assert.NotNull(s.Stream.Remote));
        Assert.Equal(1, server.Server.ActiveCalls);

        Assert.True(await server.Server.HangUpAsync(outcome.CallId!, CancellationToken.None).WaitAsync(Timeout));

        var result = await phone.WaitAsync(Timeout + TimeSpan.FromSeconds(15));
        Assert.True(result.ExitCode == 0, result.ToString());
        var e = await ended.Task.WaitAsync(Timeout);
        Assert.Equal(outcome.CallId, e.CallId);
        Assert.False(e.ByRemote);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
        Assert.False(await server.Server.HangUpAsync(outcome.CallId!, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task DialOut_BySipUriOnLocalDomain_IsAnswered()
    {
        await using var server = await TestServer.StartAsync();
        var phone = await StartPhoneAsync(server, "uas_answer.xml", "bob", "bob-secret");

        var outcome = await server.Server.DialAsync(new SipDialRequest("sip:bob@" + TestServer.Domain), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Answered, outcome.Status);
        await server.Server.HangUpAsync(outcome.CallId!, CancellationToken.None).WaitAsync(Timeout);
        var result = await phone.WaitAsync(Timeout + TimeSpan.FromSeconds(15));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task DialOut_ToAUriOfAnotherSipElement_CallsItDirectly_WithoutRegistration()
    {
        // A room codec or MCU that never registers here, reached by its address (a SIPp UAS on another port of this host).
        await using var server = await TestServer.StartAsync();
        int codecPort = Sipp.FreePort();
        var codec = Sipp.RunAsync("uas_answer.xml", server.UdpPort, ["-mp", Sipp.FreePort().ToString(CultureInfo.InvariantCulture)], Timeout, "u1", codecPort);
        await Sipp.UntilListeningAsync(codecPort, TimeSpan.FromSeconds(10));

        var outcome = await server.Server.DialAsync(new SipDialRequest($"sip:room@127.0.0.1:{codecPort}") { CallerDisplayName = "组织工作例会" }, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Answered, outcome.Status);
        Assert.Equal(2, outcome.Streams.Count);
        Assert.True(await server.Server.HangUpAsync(outcome.CallId!, CancellationToken.None).WaitAsync(Timeout));
        var result = await codec.WaitAsync(Timeout + TimeSpan.FromSeconds(15));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task DialOut_ToTheHubsOwnAddressAndPort_IsTheAccountPath()
    {
        await using var server = await TestServer.StartAsync();

        var outcome = await server.Server.DialAsync(new SipDialRequest($"sip:nobody@127.0.0.1:{server.UdpPort}"), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Rejected, outcome.Status);
        Assert.Equal(404, outcome.StatusCode); // looked up as an account of this hub, not called as another element
    }

    [Fact]
    public async Task DialOut_ToBusyPhone_ReturnsBusy()
    {
        await using var server = await TestServer.StartAsync();
        var phone = await StartPhoneAsync(server, "uas_busy.xml", "bob", "bob-secret");

        var outcome = await server.Server.DialAsync(new SipDialRequest("bob"), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Busy, outcome.Status);
        Assert.Equal(486, outcome.StatusCode);
        Assert.Null(outcome.CallId);
        var result = await phone.WaitAsync(Timeout + TimeSpan.FromSeconds(15));
        Assert.True(result.ExitCode == 0, result.ToString()); // got its ACK
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DialOut_NeverAnswered_IsCancelledAtRingTimeout()
    {
        await using var server = await TestServer.StartAsync();
        var phone = await StartPhoneAsync(server, "uas_no_answer.xml", "bob", "bob-secret");

        // 2 s of ringing: long enough for the phone's 180 to arrive on a loaded machine (before any 180 the same
        // timeout is "Unreachable", which is right for a phone that never answered at all).
        var outcome = await server.Server.DialAsync(new SipDialRequest("bob") { RingTimeout = TimeSpan.FromSeconds(2) }, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.NoAnswer, outcome.Status);
        var result = await phone.WaitAsync(Timeout + TimeSpan.FromSeconds(15));
        Assert.True(result.ExitCode == 0, result.ToString()); // CANCEL received, 487 sent and ACKed
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DialOut_CancelledByToken_SendsCancelAndThrows()
    {
        await using var server = await TestServer.StartAsync();
        var phone = await StartPhoneAsync(server, "uas_no_answer.xml", "bob", "bob-secret");
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(TimeSpan.FromMilliseconds(300)); // the stimulus; a CANCEL before the 180 is held until it arrives (§9.1)

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Server.DialAsync(new SipDialRequest("bob"), cts.Token).WaitAsync(Timeout));

        var result = await phone.WaitAsync(Timeout + TimeSpan.FromSeconds(15));
        Assert.True(result.ExitCode == 0, result.ToString());
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DialOut_PhoneHangsUp_RaisesCallEnded()
    {
        await using var server = await TestServer.StartAsync();
        var phone = await StartPhoneAsync(server, "uas_answer_then_bye.xml", "bob", "bob-secret");
        var ended = WatchCallEnded(server);

        var outcome = await server.Server.DialAsync(new SipDialRequest("bob"), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SipDialStatus.Answered, outcome.Status);
        Assert.Single(outcome.Streams); // audio only: the phone refused nothing but offered no video line back
        var e = await ended.Task.WaitAsync(Timeout);
        Assert.Equal(outcome.CallId, e.CallId);
        Assert.True(e.ByRemote);
        var result = await phone.WaitAsync(Timeout + TimeSpan.FromSeconds(15));
        Assert.True(result.ExitCode == 0, result.ToString()); // its BYE got 200
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
        Assert.False(await server.Server.HangUpAsync(outcome.CallId!, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task DialOut_SeveralSitesConcurrently_AreIndependent()
    {
        await using var server = await TestServer.StartAsync();
        var bob = await StartPhoneAsync(server, "uas_answer.xml", "bob", "bob-secret");
        var carol = await StartPhoneAsync(server, "uas_busy.xml", "carol", "carol-secret");
        var alice = await StartPhoneAsync(server, "uas_answer.xml", "alice", "alice-secret");

        var outcomes = await Task.WhenAll(
            server.Server.DialAsync(new SipDialRequest("bob"), CancellationToken.None),
            server.Server.DialAsync(new SipDialRequest("carol"), CancellationToken.None),
            server.Server.DialAsync(new SipDialRequest("alice"), CancellationToken.None)).WaitAsync(Timeout);

        Assert.Equal([SipDialStatus.Answered, SipDialStatus.Busy, SipDialStatus.Answered], outcomes.Select(o => o.Status));
        Assert.NotEqual(outcomes[0].CallId, outcomes[2].CallId);
        Assert.Equal(2, server.Server.ActiveCalls);
        Assert.True(await server.Server.HangUpAsync(outcomes[0].CallId!, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(1, server.Server.ActiveCalls); // alice's call is untouched
        Assert.True(await server.Server.HangUpAsync(outcomes[2].CallId!, CancellationToken.None).WaitAsync(Timeout));
        foreach (var phone in new[] { bob, carol, alice })
        {
            var result = await phone.WaitAsync(Timeout + TimeSpan.FromSeconds(15));
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }
}

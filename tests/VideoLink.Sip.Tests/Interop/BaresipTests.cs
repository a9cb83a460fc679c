using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Interop;

/// <summary>baresip 1.0 as a real phone: digest registration, echo call, and a call through the B2BUA.</summary>
public sealed class BaresipTests
{
    private static readonly TimeSpan CallLength = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Baresip_CallsEcho_ReceivesItsAudioBack()
    {
        await using var server = await TestServer.StartAsync();
        await using var phone = Baresip.Start(server.UdpPort, "alice", "alice-secret", CallLength, "",
            $"/dial sip:echo@127.0.0.1:{server.UdpPort}");

        await phone.WaitForExitAsync(TimeSpan.FromSeconds(20));

        string log = phone.Log;
        Assert.Contains("registered successfully", log, StringComparison.Ordinal);
        Assert.Contains("Call established", log, StringComparison.Ordinal);
        var packets = phone.RtpPackets();
        Assert.True(packets is { Received: > 50 }, log); // 50 packets/s of PCMU sine came back
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5), "baresip hung up with BYE");
    }

    [Fact]
    public async Task Baresip_CallsAnotherBaresip_MediaFlowsBothWaysThroughTheHub()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = Baresip.Start(server.UdpPort, "bob", "bob-secret", CallLength * 3, ";answermode=auto");
        await Poll.UntilAsync(() => server.Server.IsOnline("bob"), TimeSpan.FromSeconds(10), "bob registers");

        await using var alice = Baresip.Start(server.UdpPort, "alice", "alice-secret", CallLength, "",
            $"/dial sip:bob@127.0.0.1:{server.UdpPort}");
        await alice.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await Poll.UntilAsync(() => bob.Log.Contains("terminated", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the hub passed alice's BYE on to bob");

        Assert.True(alice.RtpPackets() is { Received: > 50 }, "alice:\n" + alice.Log + "\nbob:\n" + bob.Log);
        Assert.True(bob.RtpPackets() is { Received: > 50 }, "bob:\n" + bob.Log);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Hub_DialsOutToBaresip_AnswersWithMediaAndHangsUp()
    {
        var anchor = new VideoLink.Sip.Media.UdpMediaAnchor(System.Net.IPAddress.Loopback);
        await using var server = await TestServer.StartAsync(anchor: anchor);
        await using var bob = Baresip.Start(server.UdpPort, "bob", "bob-secret", CallLength * 3, ";answermode=auto");
        await Poll.UntilAsync(() => server.Server.IsOnline("bob"), TimeSpan.FromSeconds(10), "bob registers");

        var outcome = await server.Server.DialAsync(new SipDialRequest("bob") { CallerDisplayName = "Meeting" }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(outcome.IsAnswered, outcome + "\n" + bob.Log);
        var audio = Assert.Single(outcome.Streams, s => s.Stream.Media == "audio");
        anchor.Echo(audio); // what a meeting does with the streams: here, send bob's audio back to bob
        await Poll.UntilAsync(() => audio.PacketsReceived > 50 && audio.PacketsSent > 50, TimeSpan.FromSeconds(10), "bob's RTP reaches the hub's anchored port and goes back");
        Assert.True(await server.Server.HangUpAsync(outcome.CallId!, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        await Poll.UntilAsync(() => bob.Log.Contains("terminated", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "bob got the hub's BYE");
        Assert.Equal(0, server.Server.ActiveCalls);
    }
}

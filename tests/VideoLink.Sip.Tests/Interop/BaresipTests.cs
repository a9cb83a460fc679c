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
}

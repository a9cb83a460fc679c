using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media;
using VideoLink.Sip;

namespace VideoLink.Hub.Tests.Api;

/// <summary>Garbage on the hub's UDP ports is dropped and counted — visible to operators — and the hub keeps serving.</summary>
public sealed class CountersTests(HubFactory hub) : IClassFixture<HubFactory>
{
    [Fact]
    public async Task RandomDatagrams_OnMediaAndSipPorts_AreCountedAndHarmless()
    {
        var admin = await hub.LoginAsync();
        var mediaPort = hub.Services.GetRequiredService<WebRtcEndpoint>().LocalEndPoint!.Port;
        var sipPort = hub.Services.GetRequiredService<SipServer>().UdpEndPoint!.Port;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var random = new Random(7983);
        for (var i = 0; i < 200; i++)
        {
            var junk = new byte[random.Next(1, 1500)];
            random.NextBytes(junk);
            junk[0] = (byte)random.Next(64, 128); // outside STUN, DTLS and RTP ranges (RFC 7983)
            await udp.SendAsync(junk, new IPEndPoint(IPAddress.Loopback, mediaPort));
            await udp.SendAsync(junk, new IPEndPoint(IPAddress.Loopback, sipPort));
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        long unknown = 0, sipDropped = 0;
        while (DateTime.UtcNow < deadline && (unknown < 200 || sipDropped < 1))
        {
            var counters = await admin.GetJsonAsync("/api/system/counters");
            unknown = counters.GetProperty("media").GetProperty("unknownProtocol").GetInt64();
            sipDropped = counters.GetProperty("sip").GetProperty("messagesDropped").GetInt64()
                + counters.GetProperty("sip").GetProperty("badRequestsAnswered").GetInt64();
            await Task.Delay(100);
        }

        Assert.True(unknown >= 200, $"media unknownProtocol {unknown}");
        Assert.True(sipDropped >= 1, $"sip dropped {sipDropped}");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health/ready").WaitAsync(TestTimeouts.Request)).StatusCode);
    }
}

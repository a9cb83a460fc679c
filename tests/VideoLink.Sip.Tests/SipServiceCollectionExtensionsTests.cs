using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VideoLink.Sip.Registrar;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests;

public sealed class SipServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddVideoLinkSip_WithDirectory_StartsServerThroughHostedService()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ISipAccountDirectory>(new InMemorySipAccountDirectory(new SipAccount("alice", "pw")));
        services.AddVideoLinkSip(o =>
        {
            o.Domain = "hub.test";
            o.ListenAddress = "127.0.0.1";
            o.AdvertisedAddress = "127.0.0.1";
            o.UdpPort = 0;
            o.TcpPort = 0;
        });
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().Single();

        await hosted.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var server = provider.GetRequiredService<SipServer>();
        using var peer = new RawPeer();
        await peer.SendAsync(
            "OPTIONS sip:hub.test SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{peer.Port};branch=z9hG4bKdi1;rport\r\n" +
            "From: <sip:probe@hub.test>;tag=p\r\nTo: <sip:hub.test>\r\nCall-ID: di@test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            server.UdpEndPoint!);

        Assert.StartsWith("SIP/2.0 200", await peer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
        await hosted.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Options_BoundFromConfiguration_ReplaceTheDigestDefault()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Sip:DigestAlgorithms"] = "SHA-256,MD5", ["Sip:Domain"] = "hub.test", ["Sip:T1"] = "00:00:00.250", ["Sip:ListenAddress"] = "127.0.0.1" })
            .Build();
        var options = new SipOptions();

        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection("Sip"), options);

        Assert.Equal(["SHA-256", "MD5"], options.DigestAlgorithmList);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.T1);
        Assert.Equal("hub.test", options.Domain);
        Assert.Equal(IPAddress.Loopback, options.ListenIPAddress);
    }

    [Fact]
    public void Options_WithInvalidTimers_AreRejectedAtConstruction()
    {
        var options = new SipOptions { T1 = TimeSpan.FromSeconds(5), T2 = TimeSpan.FromSeconds(1) };
        Assert.Throws<ArgumentException>(() => new SipServer(options, new InMemorySipAccountDirectory()));
    }
}

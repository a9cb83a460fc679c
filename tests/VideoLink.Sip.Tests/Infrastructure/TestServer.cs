using System.Net;
using VideoLink.Sip.Registrar;

namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>A real <see cref="SipServer"/> on 127.0.0.1 with OS-assigned ports and a small account directory.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Domain = "videolink.test";

    private TestServer(SipServer server, InMemorySipAccountDirectory directory)
    {
        Server = server;
        Directory = directory;
    }

    public SipServer Server { get; }
    public InMemorySipAccountDirectory Directory { get; }
    public int UdpPort => Server.UdpEndPoint!.Port;
    public int TcpPort => Server.TcpEndPoint!.Port;

    public static async Task<TestServer> StartAsync(Action<SipOptions>? configure = null, TimeProvider? time = null, VideoLink.Sip.Media.IMediaAnchor? anchor = null)
    {
        var options = new SipOptions
        {
            Domain = Domain,
            ListenAddress = "127.0.0.1",
            AdvertisedAddress = "127.0.0.1",
            UdpPort = 0,
            TcpPort = 0,
            T1 = TimeSpan.FromMilliseconds(100),
            T2 = TimeSpan.FromMilliseconds(400),
            T4 = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        var directory = new InMemorySipAccountDirectory(
            new SipAccount("alice", "alice-secret", "Alice"),
            new SipAccount("bob", "bob-secret", "Bob"),
            new SipAccount("carol", "carol-secret", "Carol"));
        var server = new SipServer(options, directory, anchor, timeProvider: time);
        await server.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        return new TestServer(server, directory);
    }

    public async ValueTask DisposeAsync() => await Server.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
}

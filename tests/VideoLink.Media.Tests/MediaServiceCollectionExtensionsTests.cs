using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace VideoLink.Media.Tests;

public sealed class MediaServiceCollectionExtensionsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddVideoLinkMedia(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task Host_WithMediaSection_StartsEndpointOnConfiguredAddress()
    {
        using var host = BuildHost(new()
        {
            ["Media:Port"] = "0",
            ["Media:BindAddress"] = "127.0.0.1",
            ["Media:AdvertisedAddresses:0"] = "203.0.113.7",
        });

        await host.StartAsync().WaitAsync(Timeout);
        var endpoint = host.Services.GetRequiredService<WebRtcEndpoint>();
        Assert.NotEqual(0, endpoint.LocalEndPoint.Port);
        Assert.Equal("203.0.113.7", Assert.Single(host.Services.GetRequiredService<IOptions<MediaOptions>>().Value.AdvertisedAddresses));
        await host.StopAsync().WaitAsync(Timeout);
    }

    [Fact]
    public async Task Host_WithBadBindAddress_FailsAtStart()
    {
        using var host = BuildHost(new() { ["Media:BindAddress"] = "not-an-ip", ["Media:Port"] = "0" });
        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(Timeout));
    }
}

using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoLink.Media;

/// <summary>Registers the WebRTC media endpoint in a host.</summary>
public static class MediaServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="MediaOptions"/> from the <c>Media</c> section (so <c>--Media:Port=40000</c> or a
    /// <c>--media-port</c> switch mapped onto it works), validates it at start-up, and runs one
    /// <see cref="WebRtcEndpoint"/> for the life of the host.
    /// </summary>
    public static IServiceCollection AddVideoLinkMedia(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MediaOptions>()
            .Bind(configuration.GetSection(MediaOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                o => IPAddress.TryParse(o.BindAddress, out _) && o.AdvertisedAddresses.All(a => IPAddress.TryParse(a, out _)),
                "Media:BindAddress and Media:AdvertisedAddresses must be IP addresses.")
            .Validate(
                o => Srtp.SrtpProfiles.ParseList(o.SrtpProfiles) is not null,
                "Media:SrtpProfiles must list SRTP_AEAD_AES_128_GCM and/or SRTP_AES128_CM_HMAC_SHA1_80, each once, comma-separated.")
            .ValidateOnStart();
        services.AddSingleton(sp => new WebRtcEndpoint(
            sp.GetRequiredService<IOptions<MediaOptions>>().Value,
            sp.GetService<ILogger<WebRtcEndpoint>>()));
        services.AddHostedService<WebRtcEndpointHostedService>();
        return services;
    }
}

/// <summary>Binds the media socket when the host starts and closes every peer when it stops.</summary>
internal sealed class WebRtcEndpointHostedService(WebRtcEndpoint endpoint) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        endpoint.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await endpoint.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoLink.Sip.Media;
using VideoLink.Sip.Registrar;

namespace VideoLink.Sip;

/// <summary>Registration of the SIP server in a host's container.</summary>
public static class SipServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SipServer"/> as a singleton started and stopped with the host. The host must register an
    /// <see cref="ISipAccountDirectory"/>; an <see cref="IMediaAnchor"/> defaults to <see cref="UdpMediaAnchor"/>.
    /// </summary>
    public static IServiceCollection AddVideoLinkSip(this IServiceCollection services, Action<SipOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SipOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddSingleton<IMediaAnchor>(sp => new UdpMediaAnchor(sp.GetRequiredService<IOptions<SipOptions>>().Value.ListenIPAddress));
        services.TryAddSingleton(sp => new SipServer(
            sp.GetRequiredService<IOptions<SipOptions>>().Value,
            sp.GetRequiredService<ISipAccountDirectory>(),
            sp.GetRequiredService<IMediaAnchor>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.AddHostedService<SipHostedService>();
        return services;
    }
}

/// <summary>Starts the SIP server with the host and stops it on shutdown.</summary>
internal sealed class SipHostedService(SipServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);
}

using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Api;
using VideoLink.Hub.Bookings;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Realtime;
using VideoLink.Hub.Health;
using VideoLink.Hub.Security;
using VideoLink.Hub.Seeding;
using VideoLink.Hub.SipAccounts;
using VideoLink.Hub.Stations;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Media;
using VideoLink.Sip;

namespace VideoLink.Hub.Hosting;

/// <summary>Keeps Program.cs short: every part of the hub registers itself here, grouped by feature.</summary>
public static class HubServiceCollectionExtensions
{
    public static WebApplicationBuilder AddVideoLinkHub(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, HubCommandLine.SwitchMappings.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

        var services = builder.Services;
        services.AddOptions<HubOptions>()
            .Bind(builder.Configuration.GetSection(HubOptions.SectionName))
            .PostConfigure(o => o.DataDirectory = Path.GetFullPath(o.DataDirectory))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ListenerPorts>()
            .Configure<IConfiguration>((o, c) =>
            {
                o.SipPort = c.GetValue("Sip:Port", ListenerPorts.DefaultSipPort);
                o.MediaPort = c.GetValue("Media:Port", ListenerPorts.DefaultMediaPort);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SipAccountOptions>().Bind(builder.Configuration.GetSection("Sip")).ValidateDataAnnotations().ValidateOnStart();

        var dataDirectory = Path.GetFullPath(builder.Configuration[$"{HubOptions.SectionName}:DataDirectory"] ?? HubOptions.DefaultDataDirectory);
        builder.AddVideoLinkLogging(dataDirectory);

        if (!HubCommandLine.HasExplicitUrls(builder.Configuration))
        {
            builder.WebHost.UseUrls(HubOptions.DefaultUrl);
        }

        services.Configure<KestrelServerOptions>(o =>
            o.Limits.MaxRequestBodySize = builder.Configuration.GetValue($"{HubOptions.SectionName}:MaxRequestBodyBytes", HubOptions.DefaultMaxRequestBodyBytes));

        // Keys for the framework's own protected payloads stay with the hub's other keys.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys", "data-protection")));
        services.AddSingleton(TimeProvider.System);
        services.AddVideoLinkStorage(builder.Configuration);
        services.AddSingleton<Readiness>();
        services.AddSingleton<Presence>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<BearerTokens>();
        services.AddSingleton<PersonalData>();
        services.AddSingleton<SipCredentialFactory>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<LoginService>();
        services.AddScoped<SeedLoader>();
        services.AddHostedService<HubInitializer>();

        // SIP: registrar, calls and echo (VideoLink.Sip) on the directory's SIP accounts.
        services.AddSingleton<VideoLink.Sip.Registrar.ISipAccountDirectory, DirectorySipAccounts>();
        services.AddVideoLinkSip(o =>
        {
            var c = builder.Configuration;
            var port = c.GetValue("Sip:Port", ListenerPorts.DefaultSipPort);
            o.UdpPort = port;
            o.TcpPort = port;
            o.Domain = c["Sip:Domain"] ?? o.Domain;
            o.Realm = c["Sip:Realm"] ?? SipAccountOptions.DefaultRealm;
            o.ListenAddress = c["Sip:ListenAddress"] ?? o.ListenAddress;
            o.AdvertisedAddress = c["Sip:AdvertisedAddress"] ?? o.AdvertisedAddress;
            o.UdpReceiveLoops = c.GetValue("Sip:UdpReceiveLoops", o.UdpReceiveLoops);
            o.MaxReceiveDelay = c.GetValue("Sip:MaxReceiveDelay", o.MaxReceiveDelay);
        });
        services.AddHostedService<SipPresenceBridge>();
        services.AddHostedService<SipAccountCacheLoader>();

        // WebRTC: one UDP port for every browser leg (VideoLink.Media), rooms' live legs, WHIP/WHEP.
        builder.Configuration["Media:Port"] ??= ListenerPorts.DefaultMediaPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A conference leg whose consent lapses must be gone within 30 s (issue 5): 25 s of silence plus the 0.5 s check.
        builder.Configuration["Media:ConsentTimeoutSeconds"] ??= "25";
        services.AddVideoLinkMedia(builder.Configuration);
        services.AddOptions<VideoLink.Hub.Conference.ConferenceOptions>()
            .Bind(builder.Configuration.GetSection(VideoLink.Hub.Conference.ConferenceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Func<VideoLink.Hub.Conference.IRoomAudio>>(sp =>
        {
            var conference = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<VideoLink.Hub.Conference.ConferenceOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            return conference.Audio == "Selecting"
                ? () => new VideoLink.Hub.Conference.SelectingRoomAudio()
                : () => new VideoLink.Hub.Conference.MixerRoomAudio(new VideoLink.Media.Audio.ConferenceMixer(null, loggers.CreateLogger<VideoLink.Media.Audio.ConferenceMixer>()));
        });
        services.AddSingleton<VideoLink.Hub.Conference.ConferenceService>();
        services.AddSingleton<VideoLink.Hub.Conference.SipLegs>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoLink.Hub.Conference.SipLegs>());
        services.AddSingleton<VideoLink.Hub.Rooms.LegIntervalJournal>();
        services.AddOptions<VideoLink.Hub.Rooms.TurnOptions>()
            .Bind(builder.Configuration.GetSection(VideoLink.Hub.Rooms.TurnOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Urls.All(u => u.StartsWith("turn:", StringComparison.OrdinalIgnoreCase) || u.StartsWith("turns:", StringComparison.OrdinalIgnoreCase) || u.StartsWith("stun:", StringComparison.OrdinalIgnoreCase)), "Turn:Urls must be turn:, turns: or stun: URLs.")
            .ValidateOnStart();
        services.AddSingleton<VideoLink.Hub.Rooms.IceServers>();
        services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = 64 * 1024;
            o.AddFilter<OrgScopeHubFilter>();
        }).AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSingleton<OrgTreeBroadcaster>();
        services.AddSingleton<StationRegistry>();
        services.AddSingleton<StationControl>();
        services.AddSingleton<PreparationPlans>();
        services.AddHostedService<PresenceNotifier>();
        services.AddBookings(builder.Configuration);

        // 服务面对面 consultations: one queue actor per category over a shared expert board.
        services.AddOptions<VideoLink.Hub.Consultations.ConsultationOptions>()
            .Bind(builder.Configuration.GetSection(VideoLink.Hub.Consultations.ConsultationOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<VideoLink.Hub.Consultations.ExpertBoard>();
        services.AddSingleton<VideoLink.Hub.Consultations.ConsultationNotifier>();
        services.AddSingleton<VideoLink.Hub.Consultations.ConsultationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoLink.Hub.Consultations.ConsultationDispatcher>());
        services.AddSingleton<VideoLink.Hub.Consultations.ConsultationDesk>();

        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            // Directory reads are for people with a role; a kiosk token only reaches what names it (Participant, requests).
            .AddPolicy(Policies.DirectoryRead, p => p.RequireRole(Enum.GetNames<Role>()))
            .AddPolicy(Policies.Participant, p => p.RequireRole([.. Enum.GetNames<Role>(), VideoLink.Hub.Consultations.KioskTokens.Role]))
            .AddPolicy(Policies.ConsultationRequest, p => p.RequireRole([.. Policies.ConsultationStaffRoles.Select(r => r.ToString()), VideoLink.Hub.Consultations.KioskTokens.Role]))
            .AddPolicy(Policies.ExpertSelf, p => p.RequireRole(nameof(Role.Expert)))
            .AddPolicy(Policies.ConsultationParty, p => p.RequireRole(nameof(Role.Expert), VideoLink.Hub.Consultations.KioskTokens.Role))
            .AddPolicy(Policies.ConsultationStaff, p => p.RequireRole(Policies.ConsultationStaffRoles.Select(r => r.ToString())))
            .AddPolicy(Policies.DirectoryWrite, p => p.RequireRole(Policies.DirectoryWriters.Select(r => r.ToString())))
            .AddPolicy(Policies.SystemAdmin, p => p.RequireRole(nameof(Role.DistrictAdmin)))
            .AddPolicy(Policies.RoomHost, p => p.RequireRole(Policies.RoomHosts.Select(r => r.ToString())))
            .AddPolicy(Policies.DeviceControl, p => p.RequireRole(Policies.DeviceControllers.Select(r => r.ToString())))
            .AddPolicy(Policies.NoticeSend, p => p.RequireRole(Policies.NoticeSenders.Select(r => r.ToString())))
            .AddPolicy(Policies.UserAdmin, p => p.RequireRole(Policies.UserAdmins.Select(r => r.ToString())));

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            // Enum values by name only ("kind": 7 is refused), and unknown members are refused so a typo is a 400.
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.MaxDepth = 32;
        });
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready", tags: ["ready"]);
        return builder;
    }

    public static WebApplication UseVideoLinkHub(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWebSockets();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });

        app.MapHub<ConsoleHub>(ConsoleHub.Path);
        app.Map("/sip", SipOverWebSocketAsync);
        app.MapHub<AgentHub>(VideoLink.StationAgent.Contracts.AgentHubMethods.Path);

        var api = app.MapGroup("/api");
        api.MapAuthApi()
            .MapUsersApi()
            .MapOrgUnitsApi()
            .MapSitesApi()
            .MapEndpointsApi()
            .MapPeopleApi()
            .MapDevicesApi()
            .MapConsultationDirectoryApi()
            .MapConsultationsApi()
            .MapExpertsApi()
            .MapStationsApi()
            .MapRoomsApi()
            .MapBookingsApi()
            .MapMeetingTerminalApi()
            .MapNoticesApi()
            .MapAttendanceApi()
            .MapSupervisionApi()
            .MapConferenceApi()
            .MapSystemApi();
        app.MapWhipWhep();

        // Unknown /api paths are a 404 problem, not the console's index page.
        app.Map("/api/{**rest}", () => ApiProblems.NotFound("The API path"));
        app.MapFallbackToFile("index.html");
        return app;
    }

    /// <summary>SIP over WebSocket (RFC 7118, subprotocol "sip") for browser softphones.</summary>
    private static async Task SipOverWebSocketAsync(HttpContext context, VideoLink.Sip.SipServer sip)
    {
        if (!context.WebSockets.IsWebSocketRequest || !context.WebSockets.WebSocketRequestedProtocols.Contains(VideoLink.Sip.SipServer.WebSocketSubProtocol))
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(VideoLink.Sip.SipServer.WebSocketSubProtocol);
        var remote = new System.Net.IPEndPoint(context.Connection.RemoteIpAddress ?? System.Net.IPAddress.Loopback, context.Connection.RemotePort);
        await sip.HandleWebSocketAsync(socket, remote, context.RequestAborted);
    }
}

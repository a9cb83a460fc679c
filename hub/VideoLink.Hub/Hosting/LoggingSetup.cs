using Serilog;
using Serilog.Events;

namespace VideoLink.Hub.Hosting;

/// <summary>Serilog is configured here, in the host only: console plus a daily rolling file under the data folder.</summary>
internal static class LoggingSetup
{
    public static void AddVideoLinkLogging(this WebApplicationBuilder builder, string dataDirectory)
    {
        var logFolder = Path.Combine(dataDirectory, "logs");
        Directory.CreateDirectory(logFolder);
        var minimum = builder.Configuration.GetValue("Logging:Serilog:MinimumLevel", LogEventLevel.Information);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("VideoLink.Hub.Security.BearerAuthenticationHandler", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(
                Path.Combine(logFolder, "hub-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
    }
}

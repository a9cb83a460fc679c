namespace VideoLink.Hub.Hosting;

/// <summary>The short command-line switches README documents, mapped onto configuration keys.</summary>
public static class HubCommandLine
{
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--data"] = "VideoLink:DataDirectory",
        ["--seed"] = "VideoLink:SeedFile",
        ["--sip-port"] = "Sip:Port",
        ["--media-port"] = "Media:Port",
        ["--db"] = "Storage:Provider",
        ["--connection-string"] = "Storage:ConnectionString",
    };

    /// <summary>True when the caller chose where to listen (--urls, ASPNETCORE_URLS, URLS or Kestrel endpoints).</summary>
    public static bool HasExplicitUrls(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["ASPNETCORE_URLS"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}

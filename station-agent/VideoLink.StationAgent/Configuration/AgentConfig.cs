using System.Text.Json;
using System.Text.Json.Serialization;
using VideoLink.Hardware.Devices;

namespace VideoLink.StationAgent.Configuration;

/// <summary>
/// The agent's config file (JSON): which hub, which site, where to keep its data, and the site's devices.
/// Example in deploy/station-agent.example.json.
/// </summary>
public sealed class AgentConfig
{
    /// <summary>Base URL of the hub, e.g. http://hub.example:5080.</summary>
    public string HubUrl { get; set; } = "";

    public Guid SiteId { get; set; }

    /// <summary>One-time token from <c>POST /api/sites/{siteId}/agent-enrollments</c>; needed only until the agent has enrolled.</summary>
    public string? EnrollmentToken { get; set; }

    /// <summary>Outbox database and the agent's credential live here.</summary>
    public string DataDirectory { get; set; } = "agent-data";

    /// <summary>
    /// Salt for hashing resident ID numbers read at this site. Leave it out to use the district's salt that the hub
    /// hands over at enrolment (so a swipe here matches the person in the hub's directory).
    /// </summary>
    public string? IdHashSalt { get; set; }

    /// <summary>Longest wait between reconnect attempts (back-off doubles from 1 s up to this).</summary>
    public int ReconnectMaxSeconds { get; set; } = 30;

    /// <summary>How often cameras and displays are asked for their power state (live status).</summary>
    public int PollSeconds { get; set; } = 30;

    public List<DeviceConfig> Devices { get; set; } = [];
}

/// <summary>A config the agent refuses, naming the field and the reason.</summary>
public sealed class AgentConfigException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}

public static class AgentConfigLoader
{
    /// <summary>Placeholder salt: replaced by the district salt from the enrolment answer before the reader starts.</summary>
    public const string FromHub = "(from hub)";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static AgentConfig Load(string path) => Load(path, out _);

    /// <summary>
    /// Loads and checks the config. Properties the agent does not know are not fatal (a site may carry notes or a
    /// newer field) but each is reported in <paramref name="warnings"/> so a typo does not pass unnoticed.
    /// </summary>
    public static AgentConfig Load(string path, out IReadOnlyList<string> warnings)
    {
        warnings = [];
        if (!File.Exists(path))
        {
            throw new AgentConfigException("--config", $"the file {path} does not exist");
        }

        AgentConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<AgentConfig>(File.ReadAllText(path), Options);
        }
        catch (JsonException ex)
        {
            throw new AgentConfigException(ex.Path ?? "$", $"line {ex.LineNumber + 1}: {ex.Message.Split(" Path:")[0]}");
        }

        if (config is null)
        {
            throw new AgentConfigException("$", "the file is empty");
        }

        Validate(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
        warnings = UnknownProperties(File.ReadAllText(path));
        return config;
    }

    private static List<string> UnknownProperties(string json)
    {
        var top = Names(typeof(AgentConfig));
        var device = Names(typeof(DeviceConfig));
        var unknown = new List<string>();
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (!top.Contains(p.Name))
            {
                unknown.Add($"{p.Name}: unknown property, ignored");
            }
            else if (p.NameEquals("devices") && p.Value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var d in p.Value.EnumerateArray())
                {
                    if (d.ValueKind == JsonValueKind.Object)
                    {
                        unknown.AddRange(d.EnumerateObject().Where(x => !device.Contains(x.Name)).Select(x => $"devices[{i}].{x.Name}: unknown property, ignored"));
                    }

                    i++;
                }
            }
        }

        return unknown;
    }

    private static HashSet<string> Names(Type type) =>
        type.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static void Validate(AgentConfig config, string baseDirectory)
    {
        if (!Uri.TryCreate(config.HubUrl, UriKind.Absolute, out var hub) || hub.Scheme is not ("http" or "https"))
        {
            throw new AgentConfigException("hubUrl", "an absolute http(s) URL of the hub is required");
        }

        if (config.SiteId == Guid.Empty)
        {
            throw new AgentConfigException("siteId", "the site's id (from the hub's directory) is required");
        }

        if (config.PollSeconds is < 1 or > 3600)
        {
            throw new AgentConfigException("pollSeconds", "1 to 3600 seconds");
        }

        if (config.ReconnectMaxSeconds is < 1 or > 3600)
        {
            throw new AgentConfigException("reconnectMaxSeconds", "1 to 3600 seconds");
        }

        if (string.IsNullOrWhiteSpace(config.DataDirectory))
        {
            throw new AgentConfigException("dataDirectory", "a folder for the outbox is required");
        }

        config.DataDirectory = Path.GetFullPath(Path.Combine(baseDirectory, config.DataDirectory));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Devices.Count; i++)
        {
            var device = config.Devices[i];
            if (!ids.Add(device.Id))
            {
                throw new AgentConfigException($"devices[{i}].id", $"duplicate device id '{device.Id}'");
            }

            if (device.Driver == "idcard-serial" && string.IsNullOrWhiteSpace(device.HashSalt))
            {
                config.Devices[i] = device = device with { HashSalt = config.IdHashSalt ?? FromHub };
            }

            try
            {
                DeviceFactory.Validate(device);
            }
            catch (DeviceConfigException ex)
            {
                throw new AgentConfigException($"devices[{i}].{ex.Field}", $"{ex.DeviceId}: {ex.Reason}");
            }
        }
    }
}

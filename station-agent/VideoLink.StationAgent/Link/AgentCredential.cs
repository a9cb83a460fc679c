using System.Net.Http.Json;
using System.Text.Json;
using VideoLink.StationAgent.Configuration;

namespace VideoLink.StationAgent.Link;

/// <summary>The agent's own credential, obtained once with the enrolment token and kept (owner-only) in the data folder.</summary>
public sealed record AgentCredential(Guid AgentId, Guid SiteId, string AgentToken, string HubPath, string? IdHashSalt);

/// <summary>Loads the stored credential or enrols with the one-time token from the config.</summary>
public sealed partial class CredentialStore(AgentConfig config, HttpClient http, ILogger<CredentialStore> logger)
{
    public const string FileName = "agent-credential.json";

    private string FilePath => Path.Combine(config.DataDirectory, FileName);

    private readonly SemaphoreSlim _gate = new(1, 1);

    public AgentCredential? Current { get; private set; }

    /// <summary>One caller at a time: an enrolment token works once, so two racing enrolments must not happen.</summary>
    public async Task<AgentCredential> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await LoadOrEnrollAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AgentCredential> LoadOrEnrollAsync(CancellationToken cancellationToken)
    {
        if (Current is not null)
        {
            return Current;
        }

        if (File.Exists(FilePath))
        {
            var stored = JsonSerializer.Deserialize<AgentCredential>(await File.ReadAllTextAsync(FilePath, cancellationToken), JsonSerializerOptions.Web);
            if (stored is not null && stored.SiteId == config.SiteId)
            {
                return Current = stored;
            }
        }

        if (string.IsNullOrWhiteSpace(config.EnrollmentToken))
        {
            throw new AgentConfigException("enrollmentToken", "the agent is not enrolled yet: ask an administrator for a token (POST /api/sites/{siteId}/agent-enrollments)");
        }

        var response = await http.PostAsJsonAsync(new Uri(new Uri(config.HubUrl), "/api/agents/enroll"), new { token = config.EnrollmentToken }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new AgentConfigException("enrollmentToken", $"the hub refused the enrolment ({(int)response.StatusCode}): {problem}");
        }

        var credential = await response.Content.ReadFromJsonAsync<AgentCredential>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidDataException("The hub answered the enrolment with an empty body.");
        if (credential.SiteId != config.SiteId)
        {
            throw new AgentConfigException("siteId", $"the enrolment token belongs to site {credential.SiteId}, not {config.SiteId}");
        }

        Directory.CreateDirectory(config.DataDirectory);
        var temp = FilePath + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(credential, JsonSerializerOptions.Web), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, FilePath, overwrite: true);
        LogEnrolled(logger, credential.SiteId, credential.AgentId);
        return Current = credential;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Enrolled with the hub for site {SiteId} as agent {AgentId}")]
    private static partial void LogEnrolled(ILogger logger, Guid siteId, Guid agentId);
}

namespace VideoLink.StationAgent;

/// <summary>
/// The station agent: drives the site's devices, keeps the attendance journal and links the site to the hub.
/// Usage: <c>dotnet run --project station-agent/VideoLink.StationAgent -- --config FILE</c>.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => AgentProgram.RunAsync(args);
}

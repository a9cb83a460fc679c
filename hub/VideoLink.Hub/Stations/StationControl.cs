using Microsoft.AspNetCore.SignalR;
using VideoLink.StationAgent.Contracts;

namespace VideoLink.Hub.Stations;

/// <summary>The site's agent is not connected.</summary>
public sealed class SiteOfflineException(Guid siteId) : Exception($"The station agent of site {siteId} is not connected.");

/// <summary>Calls a site's agent and waits for its answer, bounded by a timeout.</summary>
public sealed class StationControl(IHubContext<AgentHub> hub, StationRegistry registry)
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PreparationTimeout = TimeSpan.FromSeconds(60);

    public async Task<DeviceCommandResult> ExecuteAsync(Guid siteId, DeviceCommand command, CancellationToken cancellationToken)
    {
        var connection = registry.ConnectionOf(siteId) ?? throw new SiteOfflineException(siteId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            return await hub.Clients.Client(connection).InvokeAsync<DeviceCommandResult>(AgentHubMethods.ExecuteCommand, command, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeviceCommandResult(CommandOutcome.TimedOut, "The station agent did not answer in time.", null);
        }
        catch (IOException)
        {
            throw new SiteOfflineException(siteId);
        }
    }

    public async Task<PreparationResult> PrepareAsync(Guid siteId, PreparationRequest request, CancellationToken cancellationToken)
    {
        var connection = registry.ConnectionOf(siteId) ?? throw new SiteOfflineException(siteId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PreparationTimeout);
        return await hub.Clients.Client(connection).InvokeAsync<PreparationResult>(AgentHubMethods.Prepare, request, timeout.Token);
    }
}

using System.Collections.Concurrent;
using VideoLink.StationAgent.Contracts;

namespace VideoLink.Hub.Stations;

/// <summary>
/// Which agent connection serves which site, and the live status each agent last reported for its devices.
/// In memory: after a hub restart the agents reconnect and report again.
/// </summary>
public sealed class StationRegistry
{
    private readonly ConcurrentDictionary<Guid, string> _connections = new();
    private readonly ConcurrentDictionary<(Guid Site, string Code), DeviceStatusReport> _devices = new();

    public void Connected(Guid siteId, string connectionId) => _connections[siteId] = connectionId;

    /// <summary>Forgets the site's connection only if it is still this one (a reconnect may have replaced it).</summary>
    public bool Disconnected(Guid siteId, string connectionId) =>
        _connections.TryRemove(new KeyValuePair<Guid, string>(siteId, connectionId));

    public string? ConnectionOf(Guid siteId) => _connections.TryGetValue(siteId, out var id) ? id : null;

    public void Report(Guid siteId, DeviceStatusReport report) => _devices[(siteId, report.Code)] = report;

    public DeviceStatusReport? StatusOf(Guid siteId, string code) => _devices.TryGetValue((siteId, code), out var r) ? r : null;
}

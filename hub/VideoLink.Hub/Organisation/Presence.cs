using System.Collections.Concurrent;

namespace VideoLink.Hub.Organisation;

/// <summary>
/// Live online/offline state of sites (their station agent is connected) and endpoints (a SIP binding or a web
/// session exists). Kept in memory: it is rebuilt by agents and phones reconnecting after a restart.
/// </summary>
public sealed class Presence
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _sites = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _endpoints = new();

    public event Action<Guid, bool>? SiteChanged;

    public event Action<Guid, bool>? EndpointChanged;

    public bool IsSiteOnline(Guid siteId) => _sites.ContainsKey(siteId);

    public bool IsEndpointOnline(Guid endpointId) => _endpoints.ContainsKey(endpointId);

    public void SetSite(Guid siteId, bool online)
    {
        if (online ? _sites.TryAdd(siteId, DateTimeOffset.UtcNow) : _sites.TryRemove(siteId, out _))
        {
            SiteChanged?.Invoke(siteId, online);
        }
    }

    public void SetEndpoint(Guid endpointId, bool online)
    {
        if (online ? _endpoints.TryAdd(endpointId, DateTimeOffset.UtcNow) : _endpoints.TryRemove(endpointId, out _))
        {
            EndpointChanged?.Invoke(endpointId, online);
        }
    }
}

using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VideoLink.Hub.Rooms;

/// <summary>
/// TURN for browsers behind hard NATs ("Turn" section). The hub runs no TURN server itself: it hands out time-limited
/// credentials for a coturn started with <c>--use-auth-secret --static-auth-secret=…</c> (the TURN REST API scheme:
/// username = "expiry:user", password = base64(HMAC-SHA1(secret, username))).
/// </summary>
public sealed class TurnOptions
{
    public const string SectionName = "Turn";
    public const int DefaultTtlSeconds = 12 * 3600;

    /// <summary>e.g. "turn:turn.district.example:3478?transport=udp", "turn:…?transport=tcp", "stun:…".</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>The shared secret configured in coturn; never logged or returned.</summary>
    public string? Secret { get; set; }

    [Range(60, 7 * 24 * 3600)]
    public int TtlSeconds { get; set; } = DefaultTtlSeconds;
}

public sealed record IceServer(IReadOnlyList<string> Urls, string? Username, string? Credential);

public sealed record IceServersView(IReadOnlyList<IceServer> IceServers, DateTimeOffset? ExpiresAt);

public sealed class IceServers(IOptions<TurnOptions> options, TimeProvider clock)
{
    public IceServersView For(string user)
    {
        var o = options.Value;
        if (o.Urls.Count == 0)
        {
            return new IceServersView([], null);
        }

        var stun = o.Urls.Where(u => u.StartsWith("stun:", StringComparison.OrdinalIgnoreCase)).ToList();
        var turn = o.Urls.Where(u => !u.StartsWith("stun:", StringComparison.OrdinalIgnoreCase)).ToList();
        var servers = new List<IceServer>();
        if (stun.Count > 0)
        {
            servers.Add(new IceServer(stun, null, null));
        }

        DateTimeOffset? expires = null;
        if (turn.Count > 0 && !string.IsNullOrEmpty(o.Secret))
        {
            expires = clock.GetUtcNow().AddSeconds(o.TtlSeconds);
            var username = $"{expires.Value.ToUnixTimeSeconds()}:{user}";
            var credential = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(o.Secret), Encoding.UTF8.GetBytes(username)));
            servers.Add(new IceServer(turn, username, credential));
        }

        return new IceServersView(servers, expires);
    }

    /// <summary>RFC 9725 §4.6: ICE servers as Link headers on the WHIP/WHEP answer.</summary>
    public IEnumerable<string> LinkHeaders(string user)
    {
        foreach (var server in For(user).IceServers)
        {
            foreach (var url in server.Urls)
            {
                yield return server.Username is null
                    ? $"<{url}>; rel=\"ice-server\""
                    : $"<{url}>; rel=\"ice-server\"; username=\"{server.Username}\"; credential=\"{server.Credential}\"; credential-type=\"password\"";
            }
        }
    }
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace VideoLink.Sip;

/// <summary>Settings of the SIP server (bind from configuration section "Sip").</summary>
public sealed class SipOptions
{
    public const int DefaultPort = 5060;
    public const int DefaultMaxMessageSize = 64 * 1024;
    public const int DefaultT1Milliseconds = 500;
    public const int DefaultMinExpires = 60;
    public const int DefaultMaxExpires = 3600;
    public const int DefaultNonceLifetimeSeconds = 300;
    public const int DefaultSessionExpires = 1800;
    public const int DefaultMaxPendingRequests = 512;
    public const int DefaultMaxReceiveDelayMilliseconds = 1000;

    /// <summary>The domain the hub serves; requests for other domains are refused (never relayed).</summary>
    [Required]
    public string Domain { get; set; } = "videolink.local";

    /// <summary>Digest realm; defaults to <see cref="Domain"/>.</summary>
    public string? Realm { get; set; }

    /// <summary>Address the SIP sockets and the default RTP anchor bind to ("0.0.0.0" = all IPv4).</summary>
    [Required]
    public string ListenAddress { get; set; } = "0.0.0.0";

    internal IPAddress ListenIPAddress => IPAddress.Parse(ListenAddress);

    /// <summary>Address written into Via, Contact and SDP; null = the listen address, or the first non-loopback IPv4.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>UDP port; 0 = OS-assigned, negative = disabled.</summary>
    [Range(-1, 65535)]
    public int UdpPort { get; set; } = DefaultPort;

    /// <summary>TCP port; 0 = OS-assigned, negative = disabled.</summary>
    [Range(-1, 65535)]
    public int TcpPort { get; set; } = DefaultPort;

    [Range(1024, 1024 * 1024)]
    public int MaxMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// On TCP, how long a begun message may take to arrive completely; then it is answered 400 (if possible)
    /// and the connection closed. Catches a Content-Length larger than the body.
    /// </summary>
    public TimeSpan IncompleteMessageTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>RFC 3261 T1 (RTT estimate); tests lower it so timers run fast.</summary>
    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(DefaultT1Milliseconds);

    /// <summary>RFC 3261 T2 (maximum retransmit interval for non-INVITE requests and INVITE responses).</summary>
    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>RFC 3261 T4 (maximum time a message stays in the network).</summary>
    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 86400)]
    public int MinExpires { get; set; } = DefaultMinExpires;

    [Range(1, 86400)]
    public int MaxExpires { get; set; } = DefaultMaxExpires;

    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromSeconds(DefaultNonceLifetimeSeconds);

    /// <summary>
    /// Digest algorithms challenged with, comma-separated, one WWW-/Proxy-Authenticate each, in this order
    /// (RFC 8760 §2.4). Values: "MD5", "SHA-256". Only MD5 by default: clients seen in the field fail on a
    /// SHA-256 challenge instead of skipping it (SIPp 3.6 reads only the first challenge; libre/baresip 1.0
    /// aborts on an unknown algorithm). Use "SHA-256,MD5" where every phone supports RFC 8760. Responses
    /// computed with either algorithm are always verified. (A string, not a list, so that configuration
    /// binding replaces the default instead of appending to it.)
    /// </summary>
    [Required]
    [RegularExpression("^\\s*(MD5|SHA-256)\\s*(,\\s*(MD5|SHA-256)\\s*)*$")]
    public string DigestAlgorithms { get; set; } = "MD5";

    internal string[] DigestAlgorithmList =>
        DigestAlgorithms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Failed authentications per source address before it is throttled.</summary>
    [Range(1, 10000)]
    public int MaxFailedAuthPerSource { get; set; } = 10;

    /// <summary>
    /// Overload guard: when this many non-INVITE requests are already waiting for their final response, new
    /// out-of-dialog requests are answered 503 with a Retry-After of <see cref="OverloadRetryAfterSeconds"/> (RFC 3261
    /// §21.5.4) instead of queueing, so a registration storm degrades instead of collapsing into retransmissions.
    /// </summary>
    public int MaxPendingRequests { get; set; } = DefaultMaxPendingRequests;

    /// <summary>
    /// Overload guard, second measure: when a UDP datagram waited longer than this in the socket's receive queue
    /// (the receive loops are behind; Linux kernel timestamps), new out-of-dialog requests are answered 503 +
    /// Retry-After like above, so a storm beyond the server's rate gets quick refusals instead of a queue that grows
    /// until answers come after the phones' transaction time-out. The default, 2 × T1, lets a short burst be answered
    /// late (the phone retransmits once) and refuses once every request is being received twice. Zero turns it off.
    /// </summary>
    public TimeSpan MaxReceiveDelay { get; set; } = TimeSpan.FromMilliseconds(DefaultMaxReceiveDelayMilliseconds);

    /// <summary>UDP receive loops (threads) on the one SIP UDP socket; 0 = one per processor.</summary>
    [Range(0, 64)]
    public int UdpReceiveLoops { get; set; }

    internal int EffectiveUdpReceiveLoops => UdpReceiveLoops > 0 ? UdpReceiveLoops : Math.Max(2, Environment.ProcessorCount);

    public int OverloadRetryAfterSeconds { get; set; } = 5;

    /// <summary>Window and lock-out time for <see cref="MaxFailedAuthPerSource"/>.</summary>
    public TimeSpan FailedAuthWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Session-Expires the hub asks for on calls (RFC 4028); dead calls are torn down after it.</summary>
    [Range(90, 86400)]
    public int SessionExpires { get; set; } = DefaultSessionExpires;

    /// <summary>How long the echo service rings before it answers (0 = answer at once).</summary>
    public TimeSpan EchoAnswerDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long an INVITE to a registered user rings before 480/408.</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether a dial-out (an authorised room host in the API, never a SIP request) may call a SIP URI outside this
    /// hub's domain directly — a room codec or MCU that does not register here, e.g. <c>sip:room@10.20.0.5</c>. Calls
    /// arriving over SIP are never relayed whatever this says.
    /// </summary>
    public bool AllowExternalDialOut { get; set; } = true;

    /// <summary>User part of the built-in echo service (sip:echo@domain).</summary>
    public string EchoUser { get; set; } = "echo";

    public string UserAgent { get; set; } = "VideoLink";

    internal string EffectiveRealm => Realm ?? Domain;

    internal string GetAdvertisedHost()
    {
        if (AdvertisedAddress is not null)
        {
            return AdvertisedAddress;
        }
        var listen = ListenIPAddress;
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return listen.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{listen}]" : listen.ToString();
        }
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                if (a.Address.AddressFamily == AddressFamily.InterNetwork)
                {
                    return a.Address.ToString();
                }
            }
        }
        return "127.0.0.1";
    }

    /// <summary>Checks the values that data annotations cannot.</summary>
    internal void Validate()
    {
        if (T1 <= TimeSpan.Zero || T2 < T1)
        {
            throw new ArgumentException("T1 must be positive and T2 at least T1.");
        }
        if (MinExpires > MaxExpires)
        {
            throw new ArgumentException("MinExpires must not exceed MaxExpires.");
        }
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            throw new ArgumentException("ListenAddress must be an IP address.");
        }
        if (string.IsNullOrWhiteSpace(Domain))
        {
            throw new ArgumentException("Domain is required.");
        }
        foreach (string a in DigestAlgorithmList)
        {
            if (a is not ("MD5" or "SHA-256"))
            {
                throw new ArgumentException("DigestAlgorithms may contain only MD5 and SHA-256.");
            }
        }
        if (DigestAlgorithmList.Length == 0)
        {
            throw new ArgumentException("DigestAlgorithms must name at least one algorithm.");
        }
    }
}

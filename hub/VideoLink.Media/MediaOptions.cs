using System.ComponentModel.DataAnnotations;

namespace VideoLink.Media;

/// <summary>Settings of the WebRTC media plane, bound from the <c>Media</c> configuration section.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";
    public const int DefaultPort = 40000;
    public const int DefaultConsentTimeoutSeconds = 30;
    public const int DefaultHandshakeTimeoutSeconds = 20;
    public const int DefaultSendThreads = 2;
    public const int DefaultSendQueuePackets = 4096;

    /// <summary>The one UDP port every WebRTC leg shares (RFC 7983 demultiplexing); 0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address to bind; "0.0.0.0" listens on every IPv4 interface.</summary>
    [Required]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// Addresses written as host candidates into answers, in preference order. With a 1:1 NAT put the public address
    /// here. Empty means the bind address, or, when binding to 0.0.0.0, every up non-loopback IPv4 address.
    /// </summary>
    public IList<string> AdvertisedAddresses { get; } = [];

    /// <summary>RFC 7675 consent freshness: a peer silent for longer is closed.</summary>
    [Range(1, 3600)]
    public int ConsentTimeoutSeconds { get; set; } = DefaultConsentTimeoutSeconds;

    /// <summary>A peer that has not finished ICE + DTLS within this time after creation is closed.</summary>
    [Range(1, 600)]
    public int HandshakeTimeoutSeconds { get; set; } = DefaultHandshakeTimeoutSeconds;

    /// <summary>
    /// Threads that SRTP-protect and send outgoing RTP (each peer sticks to one, so its packets stay in order). A room
    /// of hundreds of receivers needs the fan-out spread over the cores; 0 sends on the calling thread, as the
    /// receive loop did before.
    /// </summary>
    [Range(0, 64)]
    public int SendThreads { get; set; } = DefaultSendThreads;

    /// <summary>Packets each send thread may hold; beyond that packets are dropped and counted (SendQueueFull).</summary>
    [Range(64, 1_000_000)]
    public int SendQueuePackets { get; set; } = DefaultSendQueuePackets;

    /// <summary>
    /// Send workers hand what they protected to the kernel in batches (one <c>sendmmsg</c> for up to 64 receivers)
    /// on 64-bit Linux. False sends each datagram with its own <c>sendto</c> (for comparison in bench/conference).
    /// </summary>
    public bool BatchSends { get; set; } = true;

    /// <summary>
    /// Keeps send thread i on the i-th CPU the process may use (Linux; ignored with fewer than two CPUs). Without it the
    /// scheduler tends to wake both workers on the CPU of the receive loop that signalled them, and under load a worker
    /// that never sleeps stays there: two workers on one core, the other core idle, the fan-out at half speed.
    /// </summary>
    public bool PinSendThreads { get; set; } = true;

    /// <summary>
    /// SRTP protection profiles the hub accepts, most preferred first (comma-separated IANA names:
    /// SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80; the crypto-suite names AEAD_AES_128_GCM and
    /// AES_CM_128_HMAC_SHA1_80 work too). As DTLS server the hub picks the first of these the browser offers; as DTLS client it
    /// offers them in this order. GCM first: one AES pass authenticates and encrypts (cheaper per forwarded packet).
    /// </summary>
    [Required]
    public string SrtpProfiles { get; set; } = "SRTP_AEAD_AES_128_GCM,SRTP_AES128_CM_HMAC_SHA1_80";
}

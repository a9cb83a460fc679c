using System.ComponentModel.DataAnnotations;

namespace VideoLink.Hub.Hosting;

/// <summary>The hub's own settings ("VideoLink" section; <c>--data</c> and <c>--seed</c> on the command line).</summary>
public sealed class HubOptions
{
    public const string SectionName = "VideoLink";
    public const string DefaultDataDirectory = "data";
    public const string DefaultUrl = "http://localhost:5080";
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Folder for the SQLite database, logs, keys and recordings.</summary>
    [Required]
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>The district loaded on first start; defaults to the bundled sample district.</summary>
    public string? SeedFile { get; set; }

    /// <summary>Set false to start with an empty directory (tests that bring their own data).</summary>
    public bool SeedOnStart { get; set; } = true;

    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;
}

/// <summary>Ports of the media-facing listeners ("Sip" and "Media" sections; <c>--sip-port</c>, <c>--media-port</c>).</summary>
public sealed class ListenerPorts
{
    public const int DefaultSipPort = 5060;
    public const int DefaultMediaPort = 40000;

    [Range(0, 65535)]
    public int SipPort { get; set; } = DefaultSipPort;

    [Range(0, 65535)]
    public int MediaPort { get; set; } = DefaultMediaPort;
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Models;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.PjLink;

/// <summary>PJLink projector settings.</summary>
public sealed record PjLinkOptions
{
    /// <summary>PJLink TCP port.</summary>
    public const int DefaultTcpPort = 4352;

    /// <summary>Projector password (empty when authentication is off).</summary>
    public string? Password { get; init; }

    /// <summary>Model id in <c>models.json</c> (input table).</summary>
    public string? Model { get; init; }

    /// <summary>Queue policy; defaults to one connection per burst (projectors close idle links after ~30 s).</summary>
    public DevicePortOptions Port { get; init; } = new() { Mode = ConnectionMode.PerBurst };
}

/// <summary>The projector refused our password (<c>PJLINK ERRA</c>).</summary>
public sealed class PjLinkAuthenticationException : TransportException
{
    /// <summary>Creates the exception.</summary>
    public PjLinkAuthenticationException()
        : base("PJLink authentication failed (ERRA): check the projector password.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public PjLinkAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PjLinkAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A PJLink class 1 projector (JBMIA PJLink spec 1.04, TCP 4352). On connect the projector greets
/// <c>PJLINK 0</c> or <c>PJLINK 1 &lt;random&gt;</c>; with auth the first command is prefixed by
/// md5hex(random + password). Replies: <c>%1CMD=OK</c>, a value, or ERR1 (undefined), ERR2 (bad
/// parameter), ERR3 (unavailable now → retry), ERR4 (device failure), <c>PJLINK ERRA</c> (auth → fatal).
/// </summary>
public sealed class PjLinkProjector : PortDevice, IDisplay
{
    /// <summary>Pause before resending after ERR3 (lamp warming or cooling).</summary>
    public static readonly TimeSpan UnavailableRetry = TimeSpan.FromMilliseconds(500);

    private readonly DisplayModel _model;

    private PjLinkProjector(DevicePort port, PjLinkOptions options)
        : base(port)
    {
        _model = DeviceModels.Default.Display(options.Model, "pjlink");
    }

    /// <summary>Projector at <paramref name="host"/>:<paramref name="tcpPort"/>.</summary>
    public static PjLinkProjector Create(string host, int tcpPort, PjLinkOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string password = options.Password ?? string.Empty;
        var port = new DevicePort(new TcpTransport(host, tcpPort), TerminatedFramer.PjLink, options.Port, logger)
        {
            Handshake = (session, ct) => GreetAsync(session, password, ct),
        };
        return new PjLinkProjector(port, options);
    }

    /// <summary>md5hex(random + password), lower case, 32 characters (leading zeros kept).</summary>
    public static string Digest(string random, string password)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(password);
#pragma warning disable CA5351 // PJLink class 1 mandates MD5; it is the protocol, not our choice.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(random + password)));
#pragma warning restore CA5351
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetPowerAsync(bool on, CancellationToken cancellationToken) =>
        CommandAsync("POWR", on ? "1" : "0", on ? RequestPriority.Normal : RequestPriority.High, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> SelectInputAsync(string input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _model.TryGetInput(input, out string code)
            ? CommandAsync("INPT", code, RequestPriority.Normal, cancellationToken)
            : Task.FromResult(DeviceResult.Unsupported($"input '{input}' is not in the PJLink input table"));
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetVolumeAsync(int volume, CancellationToken cancellationToken) =>
        Task.FromResult(DeviceResult.Unsupported("PJLink class 1 has no volume command"));

    /// <inheritdoc />
    public Task<DeviceResult> SetMuteAsync(bool muted, CancellationToken cancellationToken) =>
        CommandAsync("AVMT", muted ? "31" : "30", RequestPriority.Normal, cancellationToken);

    /// <inheritdoc />
    public async Task<PowerQueryResult> QueryPowerAsync(CancellationToken cancellationToken)
    {
        var result = await CommandAsync("POWR", "?", RequestPriority.Polling, cancellationToken).ConfigureAwait(false);
        var state = PowerState.Unknown;
        if (result.IsSuccess)
        {
            string reply = Encoding.ASCII.GetString(result.Reply.Span);
            state = reply.EndsWith("=0", StringComparison.Ordinal) ? PowerState.Off
                : reply.EndsWith("=1", StringComparison.Ordinal) ? PowerState.On
                : reply.EndsWith("=2", StringComparison.Ordinal) ? PowerState.Cooling
                : reply.EndsWith("=3", StringComparison.Ordinal) ? PowerState.WarmingUp
                : PowerState.Unknown;
        }

        return new PowerQueryResult(result, state);
    }

    /// <summary>Judges a PJLink response line for <paramref name="command"/> (4 letters, class 1).</summary>
    internal static ReplyVerdict Classify(ReadOnlySpan<byte> line, string command)
    {
        if (line.SequenceEqual("PJLINK ERRA"u8))
        {
            return ReplyVerdict.Fatal("authentication failed (ERRA)");
        }

        if (line.Length < 7 || line[0] != '%' || line[1] != '1' || line[6] != '='
            || !line.Slice(2, 4).SequenceEqual(Encoding.ASCII.GetBytes(command)))
        {
            return ReplyVerdict.Unrelated;
        }

        var value = line[7..];
        if (value.SequenceEqual("ERR3"u8))
        {
            return ReplyVerdict.Retry("unavailable time (ERR3)", UnavailableRetry);
        }

        if (value.SequenceEqual("ERR1"u8))
        {
            return ReplyVerdict.Fatal("undefined command (ERR1)");
        }

        if (value.SequenceEqual("ERR2"u8))
        {
            return ReplyVerdict.Fatal("out of parameter (ERR2)");
        }

        if (value.SequenceEqual("ERR4"u8))
        {
            return ReplyVerdict.Fatal("projector failure (ERR4)");
        }

        return ReplyVerdict.Success;
    }

    private static async Task GreetAsync(PortSession session, string password, CancellationToken cancellationToken)
    {
        var greeting = await session.ReadFrameAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false)
            ?? throw new TransportException("No PJLink greeting within 3 s.");
        string text = Encoding.ASCII.GetString(greeting);
        if (text == "PJLINK 0")
        {
            return;
        }

        if (text == "PJLINK ERRA")
        {
            throw new PjLinkAuthenticationException();
        }

        if (text.StartsWith("PJLINK 1 ", StringComparison.Ordinal))
        {
            session.SetNextPayloadPrefix(Encoding.ASCII.GetBytes(Digest(text[9..], password)));
            return;
        }

        throw new TransportException($"Not a PJLink greeting: '{text}'.");
    }

    private Task<DeviceResult> CommandAsync(string command, string parameter, RequestPriority priority, CancellationToken cancellationToken) =>
        SendAsync(
            $"{command} {parameter}",
            Encoding.ASCII.GetBytes($"%1{command} {parameter}\r"),
            priority,
            line => Classify(line, command),
            cancellationToken);
}

using System.Text;
using VideoLink.Hardware.Framing;
using VideoLink.Hardware.PjLink;
using VideoLink.Hardware.Simulators.Hosting;

namespace VideoLink.Hardware.Simulators.PjLink;

/// <summary>
/// A PJLink class 1 projector on TCP: greets, checks the MD5 digest on the first command when a
/// password is set (wrong → <c>PJLINK ERRA</c> and close), answers POWR/INPT/AVMT, and plays
/// ERR3 (<see cref="SimulatorFault.BufferFull"/>) and ERR2 (<see cref="SimulatorFault.NotExecutable"/>).
/// </summary>
public sealed class PjLinkSimulator : DeviceSimulator
{
    private readonly Dictionary<IReplySink, bool> _authenticated = [];

    /// <summary>Creates a projector; a non-empty <paramref name="password"/> turns authentication on.</summary>
    public PjLinkSimulator(string? password = null)
        : base(TerminatedFramer.PjLink)
    {
        Password = string.IsNullOrEmpty(password) ? null : password;
    }

    /// <summary>The password, or null for "PJLINK 0".</summary>
    public string? Password { get; }

    /// <summary>The random value in the greeting.</summary>
    public string Random { get; set; } = "498e4a67";

    /// <summary>Power: 0 off, 1 on, 2 cooling, 3 warming.</summary>
    public int Power { get; set; }

    /// <summary>Selected input code.</summary>
    public string Input { get; private set; } = "31";

    /// <summary>AV mute code.</summary>
    public string AvMute { get; private set; } = "30";

    /// <inheritdoc />
    protected override ValueTask OnConnectedAsync(IReplySink reply, CancellationToken cancellationToken)
    {
        lock (_authenticated)
        {
            _authenticated[reply] = Password is null;
        }

        string greeting = Password is null ? "PJLINK 0\r" : $"PJLINK 1 {Random}\r";
        return reply.SendAsync(Encoding.ASCII.GetBytes(greeting), cancellationToken);
    }

    /// <inheritdoc />
    protected override async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        string line = Encoding.ASCII.GetString(frame.Span);
        bool authenticated;
        lock (_authenticated)
        {
            _authenticated.TryGetValue(reply, out authenticated);
        }

        if (!authenticated)
        {
            string expected = PjLinkProjector.Digest(Random, Password!);
            if (!line.StartsWith(expected, StringComparison.Ordinal))
            {
                await reply.SendAsync("PJLINK ERRA\r"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                return;
            }

            line = line[expected.Length..];
            lock (_authenticated)
            {
                _authenticated[reply] = true;
            }
        }

        if (line.Length < 7 || !line.StartsWith("%1", StringComparison.Ordinal))
        {
            return;
        }

        string command = line[2..6];
        string parameter = line[7..];
        string answer = fault switch
        {
            SimulatorFault.BufferFull => "ERR3",
            SimulatorFault.NotExecutable => "ERR2",
            _ => Execute(command, parameter, fault != SimulatorFault.IgnoreCommand),
        };
        await reply.SendAsync(Encoding.ASCII.GetBytes($"%1{command}={answer}\r"), cancellationToken).ConfigureAwait(false);
    }

    private string Execute(string command, string parameter, bool apply)
    {
        switch (command)
        {
            case "POWR" when parameter == "?":
                return Power.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case "POWR" when parameter is "0" or "1":
                if (apply)
                {
                    Power = parameter == "1" ? 1 : 0;
                }

                return "OK";
            case "INPT" when parameter == "?":
                return Input;
            case "INPT":
                if (apply)
                {
                    Input = parameter;
                }

                return "OK";
            case "AVMT" when parameter == "?":
                return AvMute;
            case "AVMT":
                if (apply)
                {
                    AvMute = parameter;
                }

                return "OK";
            case "POWR":
                return "ERR2";
            default:
                return "ERR1";
        }
    }
}

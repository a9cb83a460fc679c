using System.Globalization;
using System.Text;
using VideoLink.Hardware.Nec;
using VideoLink.Hardware.Simulators.Hosting;

namespace VideoLink.Hardware.Simulators.Nec;

/// <summary>An NEC display: power control, power status read, set parameter (input, volume, mute).</summary>
public sealed class NecDisplaySimulator(int monitorId = 1) : DeviceSimulator(NecFramer.Instance)
{
    private readonly byte _monitor = (byte)('A' + monitorId - 1);

    /// <summary>Power.</summary>
    public bool PowerOn { get; set; }

    /// <summary>Last value per set-parameter op code (0x60 input, 0x62 volume, 0x8D mute).</summary>
    public IReadOnlyDictionary<int, int> Parameters => _parameters;

    private readonly Dictionary<int, int> _parameters = [];

    /// <inheritdoc />
    protected override async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        var f = frame.Span;
        if (f[2] != _monitor)
        {
            return;
        }

        string body = Encoding.ASCII.GetString(f[8..^3]);
        bool apply = fault != SimulatorFault.IgnoreCommand;
        string result = fault == SimulatorFault.NotExecutable ? "01" : "00";
        (byte type, string text) answer;
        if (f[4] == 'A' && body.StartsWith("C203D6", StringComparison.Ordinal))
        {
            if (apply && result == "00")
            {
                PowerOn = body.EndsWith("0001", StringComparison.Ordinal);
            }

            answer = ((byte)'B', result + body);
        }
        else if (f[4] == 'A' && body == "01D6")
        {
            answer = ((byte)'B', $"02{result}D6000004{(PowerOn ? "0001" : "0004")}");
        }
        else if (f[4] == 'E' && body.Length == 8)
        {
            int opCode = int.Parse(body.AsSpan(2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int value = int.Parse(body.AsSpan(4, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (apply && result == "00")
            {
                lock (_parameters)
                {
                    _parameters[opCode] = value;
                }
            }

            answer = ((byte)'F', string.Create(CultureInfo.InvariantCulture, $"{result}00{opCode:X2}000064{value:X4}"));
        }
        else
        {
            answer = ((byte)'B', "BE");
        }

        await reply.SendAsync(NecFramer.Build((byte)'0', answer.type, Encoding.ASCII.GetBytes(answer.text), source: _monitor), cancellationToken).ConfigureAwait(false);
    }
}

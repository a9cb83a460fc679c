using System.Globalization;
using System.Text;
using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Simulators.Hosting;

namespace VideoLink.Hardware.Simulators.Lg;

/// <summary>An LG display on RS-232C: <c>ka</c>, <c>kd</c>, <c>ke</c>, <c>kf</c>, <c>xb</c>; answers <c>a 01 OK01x</c> / <c>NG</c>.</summary>
public sealed class LgDisplaySimulator(int setId = 1) : DeviceSimulator(TerminatedFramer.LgCommand)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal) { ["ka"] = "00", ["kd"] = "00", ["ke"] = "01", ["kf"] = "10", ["xb"] = "90" };

    /// <summary>Set ID.</summary>
    public int SetId { get; } = setId;

    /// <summary>Current data per command (e.g. <c>ka</c> = 01 when on).</summary>
    public string Value(string command)
    {
        lock (_values)
        {
            return _values[command];
        }
    }

    /// <inheritdoc />
    protected override async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        string[] parts = Encoding.ASCII.GetString(frame.Span).Split(' ');
        if (parts.Length != 3 || parts[0].Length != 2
            || int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != SetId)
        {
            return;
        }

        string command = parts[0];
        string data = parts[2];
        string answer;
        lock (_values)
        {
            if (!_values.TryGetValue(command, out string? current) || fault == SimulatorFault.NotExecutable)
            {
                answer = "NG00";
            }
            else if (string.Equals(data, "ff", StringComparison.OrdinalIgnoreCase))
            {
                answer = "OK" + current;
            }
            else
            {
                if (fault != SimulatorFault.IgnoreCommand)
                {
                    _values[command] = data;
                }

                answer = "OK" + data;
            }
        }

        await reply.SendAsync(Encoding.ASCII.GetBytes($"{command[1]} {parts[1]} {answer}x"), cancellationToken).ConfigureAwait(false);
    }
}

using VideoLink.Hardware.Queue;

namespace VideoLink.Hardware.Visca;

/// <summary>
/// Judges VISCA replies for one request (Sony VISCA "Reply messages"): ACK <c>y0 4z FF</c> starts the
/// command in socket z; completion <c>y0 5z FF</c> in that socket ends it; errors <c>y0 6z ee FF</c>.
/// A completion before our ACK, or for another socket, belongs to an earlier command ("completion on
/// an empty socket") and is passed on as unrelated instead of ending this request early.
/// </summary>
internal sealed class ViscaReplyTracker(int address, bool inquiry)
{
    /// <summary>Buffer full: resend after ~50 ms (mature VISCA drivers use the same pause).</summary>
    public static readonly TimeSpan BufferFullRetry = TimeSpan.FromMilliseconds(50);

    private readonly byte _replyHeader = ViscaCommands.ReplyHeader(address);
    private int _ackedSocket = -1;

    public ReplyVerdict Classify(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 3 || packet[0] != _replyHeader)
        {
            return ReplyVerdict.Unrelated;
        }

        byte kind = (byte)(packet[1] & 0xF0);
        int socket = packet[1] & 0x0F;
        if (kind == 0x60 && packet.Length == 4)
        {
            return packet[2] switch
            {
                0x03 => ReplyVerdict.Retry("buffer full", BufferFullRetry),
                0x01 => ReplyVerdict.Fatal("message length error"),
                0x02 => ReplyVerdict.Fatal("syntax error"),
                0x04 => ReplyVerdict.Fatal("command cancelled"),
                0x05 => ReplyVerdict.Fatal("no socket"),
                0x41 => ReplyVerdict.Fatal("command not executable"),
                _ => ReplyVerdict.Fatal($"error {packet[2]:X2}"),
            };
        }

        if (inquiry)
        {
            // An inquiry is answered y0 50 data… FF with no ACK.
            return packet[1] == 0x50 && packet.Length > 3 ? ReplyVerdict.Success : ReplyVerdict.Unrelated;
        }

        if (packet.Length != 3)
        {
            return ReplyVerdict.Unrelated;
        }

        if (kind == 0x40)
        {
            _ackedSocket = socket;
            return ReplyVerdict.Progress;
        }

        if (kind == 0x50 && socket == _ackedSocket)
        {
            return ReplyVerdict.Success;
        }

        return ReplyVerdict.Unrelated;
    }
}

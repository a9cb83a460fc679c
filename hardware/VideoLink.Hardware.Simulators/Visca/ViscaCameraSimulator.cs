using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Visca;

namespace VideoLink.Hardware.Simulators.Visca;

/// <summary>
/// A VISCA camera: ACK then completion for commands, <c>90 50 …</c> for inquiries, address set and
/// IF_Clear on the bus; over IP it speaks the 8-byte header, echoes sequence numbers and answers the
/// reset-sequence control command. Faults: buffer full, stray completion, not executable, slow completion.
/// </summary>
public sealed class ViscaCameraSimulator : DeviceSimulator
{
    private readonly ViscaLink _link;
    private readonly object _state = new();

    /// <summary>Creates a camera at <paramref name="address"/> (1–7) speaking over <paramref name="link"/>.</summary>
    public ViscaCameraSimulator(ViscaLink link = ViscaLink.Serial, int address = 1)
        : base(link == ViscaLink.Ip ? ViscaIpFramer.Instance : ViscaFramer.Instance)
    {
        _link = link;
        Address = address;
    }

    /// <summary>Camera address.</summary>
    public int Address { get; }

    /// <summary>Power.</summary>
    public bool PowerOn { get; set; } = true;

    /// <summary>The preset last recalled.</summary>
    public int? LastRecalledPreset { get; private set; }

    /// <summary>Presets stored with SetPreset.</summary>
    public IReadOnlySet<int> StoredPresets
    {
        get
        {
            lock (_state)
            {
                return new HashSet<int>(_stored);
            }
        }
    }

    /// <summary>Sequence numbers of every packet received over IP, in order (resends repeat a number).</summary>
    public IReadOnlyList<uint> ReceivedSequences =>
        ReceivedFrames.Select(frame => ViscaIp.Parse(frame).Sequence).ToList();

    /// <summary>
    /// VISCA over IP: answer <c>0F 01</c> ("sequence number abnormal") to a packet whose number is neither
    /// the last one (a resend) nor the next one, until a reset arrives.
    /// </summary>
    public bool StrictSequence { get; set; }

    /// <summary>How many sequence resets arrived (VISCA over IP).</summary>
    public int SequenceResets { get; private set; }

    /// <summary>How many address-set broadcasts arrived.</summary>
    public int AddressSets { get; private set; }

    private readonly HashSet<int> _stored = [];
    private uint? _lastSequence;

    private byte Reply => ViscaCommands.ReplyHeader(Address);

    /// <summary>Camera restart: it forgets the driver's numbering and expects 1 next (VISCA over IP).</summary>
    public void SimulateRestart() => _lastSequence = 0;

    /// <summary>Announces a chain change: <c>x0 38 FF</c>.</summary>
    public Task SendNetworkChangeAsync(CancellationToken cancellationToken) =>
        SendUnsolicitedAsync(new byte[] { Reply, 0x38, 0xFF }, cancellationToken);

    /// <inheritdoc />
    protected override async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        if (_link != ViscaLink.Ip)
        {
            await HandleViscaAsync(frame.ToArray(), fault, reply, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (type, sequence, payload) = ViscaIp.Parse(frame);

        if (type == ViscaIp.Control)
        {
            _lastSequence = null;
            SequenceResets++;
            await reply.SendAsync(ViscaIp.Wrap(ViscaIp.ControlReply, sequence, [0x01]), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (StrictSequence && _lastSequence is { } last && sequence != last && sequence != last + 1)
        {
            await reply.SendAsync(ViscaIp.Wrap(ViscaIp.ControlReply, sequence, [0x0F, 0x01]), cancellationToken).ConfigureAwait(false);
            return;
        }

        _lastSequence = sequence;
        var ipReply = new IpReply(reply, sequence);
        await HandleViscaAsync(payload.ToArray(), fault, ipReply, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask HandleViscaAsync(byte[] packet, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        if (packet.AsSpan().SequenceEqual(ViscaCommands.AddressSet()))
        {
            AddressSets++;
            await reply.SendAsync(new byte[] { 0x88, 0x30, (byte)(Address + 1), 0xFF }, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (packet.AsSpan().SequenceEqual(ViscaCommands.InterfaceClear()))
        {
            await reply.SendAsync(ViscaCommands.InterfaceClear(), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (packet.Length < 4 || packet[0] != ViscaCommands.Header(Address))
        {
            return; // another camera's packet: a real chain member stays silent
        }

        if (packet[1] == 0x09)
        {
            await AnswerInquiryAsync(packet, reply, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (packet[1] != 0x01)
        {
            await reply.SendAsync(new byte[] { Reply, 0x60, 0x02, 0xFF }, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (fault)
        {
            case SimulatorFault.BufferFull:
                await reply.SendAsync(new byte[] { Reply, 0x60, 0x03, 0xFF }, cancellationToken).ConfigureAwait(false);
                return;
            case SimulatorFault.NotExecutable:
                await reply.SendAsync(new byte[] { Reply, 0x41, 0xFF, Reply, 0x61, 0x41, 0xFF }, cancellationToken).ConfigureAwait(false);
                return;
            case SimulatorFault.StrayCompletion:
                // Completion on socket 2, which holds no command, before this command's ACK.
                await reply.SendAsync(new byte[] { Reply, 0x52, 0xFF }, cancellationToken).ConfigureAwait(false);
                break;
        }

        if (fault != SimulatorFault.IgnoreCommand)
        {
            Apply(packet);
        }

        byte[] ack = [Reply, 0x41, 0xFF];
        byte[] completion = [Reply, 0x51, 0xFF];
        if (fault == SimulatorFault.SlowCompletion)
        {
            await reply.SendAsync(ack, cancellationToken).ConfigureAwait(false);
            SendLater(reply, completion, SlowCompletionDelay);
            return;
        }

        await reply.SendAsync(ack.Concat(completion).ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AnswerInquiryAsync(byte[] packet, IReplySink reply, CancellationToken cancellationToken)
    {
        byte[] answer = packet.AsSpan(2).StartsWith((byte[])[0x04, 0x00])
            ? [Reply, 0x50, PowerOn ? (byte)0x02 : (byte)0x03, 0xFF]
            : [Reply, 0x60, 0x02, 0xFF];
        await reply.SendAsync(answer, cancellationToken).ConfigureAwait(false);
    }

    private void Apply(byte[] packet)
    {
        var body = packet.AsSpan(2);
        lock (_state)
        {
            if (body.StartsWith((byte[])[0x04, 0x00]) && body.Length >= 3)
            {
                PowerOn = body[2] == 0x02;
            }
            else if (body.StartsWith((byte[])[0x04, 0x3F, 0x02]) && body.Length >= 4)
            {
                LastRecalledPreset = body[3];
            }
            else if (body.StartsWith((byte[])[0x04, 0x3F, 0x01]) && body.Length >= 4)
            {
                _stored.Add(body[3]);
            }
        }
    }

    private sealed class IpReply(IReplySink inner, uint sequence) : IReplySink
    {
        public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            // One datagram per VISCA packet, each with the request's sequence number.
            int start = 0;
            var span = data.ToArray();
            for (int i = 0; i < span.Length; i++)
            {
                if (span[i] == 0xFF)
                {
                    var packet = ViscaIp.Wrap(ViscaIp.Reply, sequence, span.AsSpan(start, i - start + 1));
                    await inner.SendAsync(packet, cancellationToken).ConfigureAwait(false);
                    start = i + 1;
                }
            }
        }
    }
}

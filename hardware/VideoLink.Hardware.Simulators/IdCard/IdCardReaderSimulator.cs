using System.Buffers.Binary;
using VideoLink.Hardware.IdCard;
using VideoLink.Hardware.Simulators.Hosting;

namespace VideoLink.Hardware.Simulators.IdCard;

/// <summary>A person on a simulated resident ID card (test data only).</summary>
public sealed record SimulatedIdCard(string Name, string SexCode, string Birth, string Address, string IdNumber)
{
    /// <summary>A fictitious sample resident.</summary>
    public static SimulatedIdCard Sample { get; } = new("张三", "1", "19800101", "河南省郑州市金水区示例路1号", "410105198001011234");
}

/// <summary>
/// A 2nd-generation ID card SAM reader: answers find (<c>9F</c> when a card is on it, else <c>80</c>),
/// select (<c>90</c> / <c>81</c>) and read basic info (<c>90</c> + 256 B text + 1024 B photo).
/// </summary>
public sealed class IdCardReaderSimulator : DeviceSimulator
{
    private volatile SimulatedIdCard? _card;

    /// <summary>Creates the reader with no card on it.</summary>
    public IdCardReaderSimulator()
        : base(IdCardFramer.Instance)
    {
    }

    /// <summary>Puts a card on the reader.</summary>
    public void PlaceCard(SimulatedIdCard card) => _card = card;

    /// <summary>Takes the card away.</summary>
    public void RemoveCard() => _card = null;

    /// <inheritdoc />
    protected override async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        var body = frame.Span[7..^1];
        if (body.Length < 2)
        {
            return;
        }

        var card = _card;
        byte[] answer = (body[0], body[1]) switch
        {
            (0x20, 0x01) => card is null ? [0x00, 0x00, 0x80] : [0x00, 0x00, 0x9F, 0x00, 0x00, 0x00, 0x00],
            (0x20, 0x02) => card is null ? [0x00, 0x00, 0x81] : [0x00, 0x00, 0x90, 0, 0, 0, 0, 0, 0, 0, 0],
            (0x30, 0x01) => card is null ? [0x00, 0x00, 0x41] : BasicInfo(card),
            (0x11, 0xFF) or (0x10, 0xFF) => [0x00, 0x00, 0x90],
            _ => [0x00, 0x00, 0x21],
        };
        await reply.SendAsync(IdCardFramer.Build(answer), cancellationToken).ConfigureAwait(false);
    }

    private static byte[] BasicInfo(SimulatedIdCard card)
    {
        var text = IdCardInfo.BuildText(card.Name, card.SexCode, "01", card.Birth, card.Address, card.IdNumber, "郑州市公安局金水分局", "20200101", "20400101");
        var result = new byte[3 + 4 + text.Length + 1024];
        result[2] = 0x90;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(3), (ushort)text.Length);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(5), 1024);
        text.CopyTo(result.AsSpan(7));
        return result;
    }
}

using VideoLink.Hardware.Framing;
using VideoLink.Hardware.SamsungMdc;
using VideoLink.Hardware.Visca;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Framing;

/// <summary>Replays the device-side chunks of the traces in <c>TestData/</c> through the framers.</summary>
public class RecordedTraceTests
{
    private static List<string> DeviceFramesOf(string trace, IFrameDecoder framer)
    {
        var chunks = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", trace))
            .Where(line => line.StartsWith('<'))
            .Select(line => Hex(line[1..]))
            .ToArray();
        return FramesOf(framer, chunks);
    }

    [Fact]
    public void ViscaSerialSession_SplitsIntoRepliesAcrossChunksAndNoise()
    {
        Assert.Equal(
            ["88 30 02 FF", "90 41 FF", "90 51 FF", "90 60 03 FF", "90 41 FF", "90 51 FF", "90 38 FF", "90 50 02 FF"],
            DeviceFramesOf("visca-serial-session.txt", ViscaFramer.Instance));
    }

    [Fact]
    public void MdcSession_SplitsIntoAcksAcrossChunksAndNoise()
    {
        Assert.Equal(
            ["AA FF 01 03 41 11 01 56", "AA FF 01 03 41 14 21 79", "AA FF 01 03 41 11 01 56"],
            DeviceFramesOf("mdc-session.txt", SamsungMdcFramer.Instance));
    }
}

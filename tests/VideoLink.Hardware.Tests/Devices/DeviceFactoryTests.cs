using System.Text.Json;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.PjLink;
using VideoLink.Hardware.Simulators.Visca;
using VideoLink.Hardware.Visca;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Devices;

public sealed class DeviceFactoryTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task ViscaSerialConfig_FromIssueExample_DrivesTheCamera()
    {
        await using var simulator = new ViscaCameraSimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        string json = $$"""{"id":"cam1","kind":"Camera","driver":"visca-serial","port":"{{simulator.DevicePath}}","baud":9600,"address":1}""";
        var config = JsonSerializer.Deserialize<DeviceConfig>(json, Json)!;

        await using var device = DeviceFactory.Create(config);
        var camera = Assert.IsAssignableFrom<ICamera>(device);
        var result = await camera.RecallPresetAsync(128, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("81 01 04 3F 02 80 FF", ToHex(simulator.ReceivedBytes));
    }

    [Theory]
    [InlineData("""{"id":"x","driver":"visca-usb","port":"/dev/ttyUSB0"}""", "driver")]
    [InlineData("""{"id":"x","driver":"visca-serial","port":"/dev/ttyUSB0","baud":12345}""", "baud")]
    [InlineData("""{"id":"x","driver":"visca-serial","port":"/dev/ttyUSB0","address":9}""", "address")]
    [InlineData("""{"id":"x","driver":"pelco-d"}""", "port")]
    [InlineData("""{"id":"x","driver":"pjlink"}""", "host")]
    [InlineData("""{"id":"x","driver":"idcard-serial","port":"/dev/ttyUSB1"}""", "hashSalt")]
    [InlineData("""{"id":"x","driver":"lcus-relay","port":"/dev/ttyUSB3","channel":12}""", "channel")]
    [InlineData("""{"id":"x","driver":"em4100-serial","port":"/dev/ttyUSB2","parity":"sideways"}""", "parity")]
    [InlineData("""{"id":"","driver":"evdev","port":"/dev/input/event3"}""", "id")]
    public void BadConfig_IsRefusedWithFieldAndReason(string json, string field)
    {
        var config = JsonSerializer.Deserialize<DeviceConfig>(json, Json)!;

        var error = Assert.Throws<DeviceConfigException>(() => DeviceFactory.Create(config));

        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    [Fact]
    public async Task EveryDriverName_BuildsADevice()
    {
        foreach (string driver in DeviceFactory.Drivers)
        {
            var config = new DeviceConfig
            {
                Id = driver,
                Driver = driver,
                Port = driver switch
                {
                    "visca-ip" or "visca-tcp" or "samsung-mdc-tcp" or "pjlink" or "nec-tcp" => "127.0.0.1",
                    "evdev" => "/dev/input/event99",
                    _ => "/dev/ttyUSB9",
                },
                HashSalt = "s",
            };
            await using var device = DeviceFactory.Create(config);
            Assert.NotNull(device);
        }
    }

    [Fact]
    public void NetworkPortInHostPort_IsUsed()
    {
        var config = new DeviceConfig { Id = "proj", Driver = "pjlink", Port = "10.0.0.9:4353", Password = "p" };

        var projector = Assert.IsType<PjLinkProjector>(DeviceFactory.Create(config));

        Assert.Equal("tcp:10.0.0.9:4353", projector.Port.Transport.Description);
        Assert.Equal(ViscaLink.Ip, Assert.IsType<ViscaCamera>(DeviceFactory.Create(new DeviceConfig { Id = "c", Driver = "visca-ip", Host = "10.0.0.7" })).Link);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VideoLink.Hardware.Devices;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hardware.Simulators.Em4100;
using VideoLink.Hardware.Simulators.IdCard;
using VideoLink.Hardware.Simulators.Lcus;
using VideoLink.Hardware.Simulators.SamsungMdc;
using VideoLink.Hardware.Simulators.Visca;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.StationAgent.Tests.Integration;

/// <summary>The agent and the hub together, over real sockets, with simulated devices on real pty pairs and TCP.</summary>
public sealed class AgentHubTests
{
    [Fact]
    public async Task Commands_ThroughTheApi_ReachTheDevicesAsExactBytes()
    {
        await using var rig = new StationRig();
        await using var camera = new ViscaCameraSimulator();
        await camera.StartOnPtyAsync(CancellationToken.None);
        await using var display = new SamsungMdcSimulator();
        await display.StartOnTcpAsync(CancellationToken.None);
        await rig.StartHubAsync();
        var created = await rig.Admin.PostAsJsonAsync("/api/devices", new { siteId = rig.SiteId, code = "disp1", name = "显示屏", kind = "Display", driver = "samsung-mdc-tcp", host = "127.0.0.1" }).WaitAsync(TestTimeouts.Request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await rig.StartAgentAsync(
        [
            new DeviceConfig { Id = "cam1", Kind = "Camera", Driver = "visca-serial", Port = camera.DevicePath, Baud = 9600, Address = 1 },
            new DeviceConfig { Id = "disp1", Kind = "Display", Driver = "samsung-mdc-tcp", Host = "127.0.0.1", NetworkPort = display.Port, Address = 1 },
        ]);
        await rig.WaitForSiteOnlineAsync();
        camera.ClearReceived();

        var preset = await rig.Admin.PostAsJsonAsync($"/api/sites/{rig.SiteId}/devices/{await rig.DeviceIdAsync("cam1")}/commands", new { action = "RecallPreset", preset = 2 }).WaitAsync(TestTimeouts.Request);
        var power = await rig.Admin.PostAsJsonAsync($"/api/sites/{rig.SiteId}/devices/{await rig.DeviceIdAsync("disp1")}/commands", new { action = "PowerOn" }).WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.OK, preset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, power.StatusCode);
        Assert.Contains(camera.ReceivedFrames, f => f.AsSpan().SequenceEqual(new byte[] { 0x81, 0x01, 0x04, 0x3F, 0x02, 0x02, 0xFF }));
        Assert.Contains(display.ReceivedFrames, f => f.AsSpan().SequenceEqual(new byte[] { 0xAA, 0x11, 0x01, 0x01, 0x01, 0x14 }));
        Assert.Equal(2, camera.LastRecalledPreset);
        Assert.True(display.PowerOn);
    }

    [Fact]
    public async Task DeviceStatus_IsLive_AndUnknownDevicesAreRefusedClearly()
    {
        await using var rig = new StationRig();
        await using var camera = new ViscaCameraSimulator();
        await camera.StartOnPtyAsync(CancellationToken.None);
        await rig.StartHubAsync();
        await rig.StartAgentAsync([new DeviceConfig { Id = "cam1", Kind = "Camera", Driver = "visca-serial", Port = camera.DevicePath, Baud = 9600, Address = 1 }]);
        await rig.WaitForSiteOnlineAsync();
        await rig.Admin.PostAsJsonAsync($"/api/sites/{rig.SiteId}/devices/{await rig.DeviceIdAsync("cam1")}/commands", new { action = "Stop" }).WaitAsync(TestTimeouts.Request);

        await rig.WaitUntilAsync(async () =>
        {
            var board = await rig.Admin.GetFromJsonAsync<JsonElement>($"/api/sites/{rig.SiteId}/devices").WaitAsync(TestTimeouts.Request);
            return board.GetProperty("online").GetBoolean()
                && board.GetProperty("devices").EnumerateArray().Any(d => d.GetProperty("code").GetString() == "cam1" && d.GetProperty("status").GetString() == "Ok");
        }, "cam1 to report Ok");
        var notDriven = await rig.Admin.PostAsJsonAsync($"/api/sites/{rig.SiteId}/devices/{await rig.DeviceIdAsync("lamp")}/commands", new { action = "RelayOn" }).WaitAsync(TestTimeouts.Request);
        var badPreset = await rig.Admin.PostAsJsonAsync($"/api/sites/{rig.SiteId}/devices/{await rig.DeviceIdAsync("cam1")}/commands", new { action = "RecallPreset" }).WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, notDriven.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPreset.StatusCode);
    }

    [Fact]
    public async Task SwipesDuringAHubOutage_ArriveExactlyOnce_AfterItReturns()
    {
        await using var rig = new StationRig();
        await using var reader = new Em4100ReaderSimulator();
        await reader.StartOnPtyAsync(CancellationToken.None);
        await rig.StartHubAsync();
        await rig.StartAgentAsync([new DeviceConfig { Id = "icreader", Kind = "CardReader", Driver = "em4100-serial", Port = reader.DevicePath, Baud = 9600 }]);
        await rig.WaitForSiteOnlineAsync();

        await rig.StopHubAsync();
        ulong[] tags = [0x0100000001, 0x0100000002, 0x0100000003];
        foreach (var tag in tags)
        {
            // Each card is held to the reader for a moment, so the reader repeats its frame (de-duplicated to one swipe).
            await reader.PresentTagAsync(tag, repeats: 3, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }

        await rig.WaitUntilAsync(async () => await rig.PendingInOutboxAsync() == 3, "three swipes in the outbox");
        await rig.StartHubAsync();
        await rig.WaitUntilAsync(async () => await rig.PendingInOutboxAsync() == 0, "the outbox to drain");
        var checkins = await rig.Admin.GetFromJsonAsync<JsonElement>($"/api/sites/{rig.SiteId}/checkins").WaitAsync(TestTimeouts.Request);

        var rows = checkins.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(3, rows.Select(r => r.GetProperty("id").GetGuid()).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("IcCard", r.GetProperty("method").GetString()));
    }

    [Fact]
    public async Task Prepare_TurnsTheSiteOnFromTheDataPlan_AndReleaseTurnsItOff()
    {
        await using var rig = new StationRig();
        await using var camera = new ViscaCameraSimulator();
        await camera.StartOnPtyAsync(CancellationToken.None);
        await using var display = new SamsungMdcSimulator();
        await display.StartOnTcpAsync(CancellationToken.None);
        await using var lamp = new LcusRelaySimulator();
        await lamp.StartOnPtyAsync(CancellationToken.None);
        await rig.StartHubAsync();
        await rig.StartAgentAsync(
        [
            new DeviceConfig { Id = "cam1", Kind = "Camera", Driver = "visca-serial", Port = camera.DevicePath, Baud = 9600, Address = 1 },
            new DeviceConfig { Id = "disp1", Kind = "Display", Driver = "samsung-mdc-tcp", Host = "127.0.0.1", NetworkPort = display.Port, Address = 1 },
            new DeviceConfig { Id = "lamp", Kind = "Relay", Driver = "lcus-relay", Port = lamp.DevicePath, Baud = 9600, Channel = 1 },
        ]);
        await rig.WaitForSiteOnlineAsync();

        var prepared = await rig.Admin.PostAsJsonAsync($"/api/sites/{rig.SiteId}/prepare", new { roomId = "weekly-meeting" }).WaitAsync(TestTimeouts.Request);
        var steps = (await prepared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("steps");

        Assert.Equal(HttpStatusCode.OK, prepared.StatusCode);
        Assert.All(steps.EnumerateArray(), s => Assert.Equal("Ok", s.GetProperty("outcome").GetString()));
        Assert.True(display.PowerOn);
        Assert.Equal(0x21, display.InputSource);
        Assert.Equal(1, camera.LastRecalledPreset);
        // An LCUS board never answers, so "Ok" means the bytes were written: the simulator applies them when it reads.
        await rig.WaitUntilAsync(() => Task.FromResult(lamp.IsOn(1)), "the tally lamp relay to close");

        var released = await rig.Admin.PostAsJsonAsync($"/api/sites/{rig.SiteId}/release", new { }).WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.False(display.PowerOn);
        await rig.WaitUntilAsync(() => Task.FromResult(!lamp.IsOn(1)), "the tally lamp relay to open");
    }

    [Fact]
    public async Task IdCardSwipe_AtTheKiosk_MatchesThePersonInTheDirectory_WithoutTheNumberLeavingTheSite()
    {
        const string idNumber = "11010519491231002X";
        await using var rig = new StationRig();
        await using var reader = new IdCardReaderSimulator();
        await reader.StartOnPtyAsync(CancellationToken.None);
        await rig.StartHubAsync();
        var person = await rig.Admin.PostAsJsonAsync("/api/people", new { name = "王秀英", orgUnitId = SampleDistrict.Village1Of1, idNumber }).WaitAsync(TestTimeouts.Request);
        Assert.Equal(HttpStatusCode.Created, person.StatusCode);
        await rig.StartAgentAsync([new DeviceConfig { Id = "idreader", Kind = "CardReader", Driver = "idcard-serial", Port = reader.DevicePath, Baud = 115200 }]);
        await rig.WaitForSiteOnlineAsync();

        reader.PlaceCard(SampleCard(idNumber));
        JsonElement row = default;
        await rig.WaitUntilAsync(async () =>
        {
            var rows = await rig.Admin.GetFromJsonAsync<JsonElement>($"/api/sites/{rig.SiteId}/checkins").WaitAsync(TestTimeouts.Request);
            row = rows.EnumerateArray().FirstOrDefault();
            return rows.GetArrayLength() > 0;
        }, "the ID-card swipe to arrive");
        reader.RemoveCard();

        var stored = await rig.WithHubDatabaseAsync(db => db.CheckIns.SingleAsync());
        var expected = await rig.WithHubDatabaseAsync(db => db.People.Where(p => p.Name == "王秀英").Select(p => p.IdNumberHash).SingleAsync());
        Assert.Equal("IdCard", row.GetProperty("method").GetString());
        Assert.Equal(expected, stored.PersonHash);
        Assert.DoesNotContain(idNumber, row.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, stored.PersonMasked ?? "", StringComparison.Ordinal);
    }

    private static SimulatedIdCard SampleCard(string idNumber) => SimulatedIdCard.Sample with { Name = "王秀英", IdNumber = idNumber };
}

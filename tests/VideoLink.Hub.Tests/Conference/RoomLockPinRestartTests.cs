using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Sip;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>
/// A room's lock and dial-in PIN are the chair's decisions, not live state: a hub restarted on the same data folder
/// still asks for the PIN and still keeps a locked room shut. The PIN is never stored in clear.
/// </summary>
public sealed class RoomLockPinRestartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Restart_KeepsThePinAndTheLock_AndThePinIsStoredHashed()
    {
        var data = Path.Combine(Path.GetTempPath(), "videolink-roomlock-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["VideoLink:DataDirectory"] = data };
        try
        {
            string pinnedId, pinnedNumber, lockedId;
            await using (var before = HubFactory.With(settings))
            {
                var admin = await before.LoginAsync();
                var pinned = await (await admin.PostJsonAsync("/api/rooms", new { name = "有密码的会议" })).JsonAsync();
                var locked = await (await admin.PostJsonAsync("/api/rooms", new { name = "锁定的会议" })).JsonAsync();
                pinnedId = pinned.GetProperty("id").GetString()!;
                pinnedNumber = pinned.GetProperty("sipNumber").GetString()!;
                lockedId = locked.GetProperty("id").GetString()!;
                Assert.Equal(HttpStatusCode.NoContent, (await admin.PutJsonAsync($"/api/rooms/{pinnedId}/pin", new { pin = "13579" })).StatusCode);
                Assert.Equal(HttpStatusCode.NoContent, (await admin.PutJsonAsync($"/api/rooms/{lockedId}/lock", new { locked = true })).StatusCode);

                var stored = await before.WithDatabaseAsync(db => db.Rooms.Where(r => r.Id == Guid.Parse(pinnedId)).Select(r => r.PinHash).SingleAsync());
                Assert.NotNull(stored);
                Assert.DoesNotContain("13579", stored, StringComparison.Ordinal);
            }

            await using var after = HubFactory.With(settings);
            var adminAgain = await after.LoginAsync();
            var pinnedView = await adminAgain.GetJsonAsync($"/api/rooms/{pinnedId}");
            var lockedView = await adminAgain.GetJsonAsync($"/api/rooms/{lockedId}");
            Assert.True(pinnedView.GetProperty("hasPin").GetBoolean());
            Assert.False(pinnedView.GetProperty("locked").GetBoolean());
            Assert.True(lockedView.GetProperty("locked").GetBoolean());

            var whip = await adminAgain.PostAsync($"/whip/{lockedId}", new StringContent("v=0", System.Text.Encoding.UTF8, "application/sdp")).WaitAsync(Timeout);
            Assert.Equal((HttpStatusCode)423, whip.StatusCode);

            _ = after.Server;
            var sip = new IPEndPoint(IPAddress.Loopback, after.Services.GetRequiredService<SipServer>().UdpEndPoint!.Port);
            var target = $"sip:{pinnedNumber}@127.0.0.1:{sip.Port}";
            await using (var wrongPin = new ScriptedSipLeg(sip, "8101", "Sample-8101"))
            {
                Assert.StartsWith("SIP/2.0 403", await wrongPin.TryJoinAsync(target.Replace("@", "*2468@", StringComparison.Ordinal), 500, Timeout), StringComparison.Ordinal);
            }

            await using var withPin = new ScriptedSipLeg(sip, "8101", "Sample-8101");
            await withPin.JoinAsync(target.Replace("@", "*13579@", StringComparison.Ordinal), 500, Timeout);
            await RoomApi.UntilAsync(adminAgain, $"/api/rooms/{pinnedId}", r => r.GetProperty("legs").GetArrayLength() == 1, "the phone with the PIN joining");

            // Clearing the PIN is saved too.
            Assert.Equal(HttpStatusCode.NoContent, (await adminAgain.PutJsonAsync($"/api/rooms/{pinnedId}/pin", new { pin = "" })).StatusCode);
            Assert.Null(await after.WithDatabaseAsync(db => db.Rooms.Where(r => r.Id == Guid.Parse(pinnedId)).Select(r => r.PinHash).SingleAsync()));
            await withPin.HangUpAsync(Timeout);
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}

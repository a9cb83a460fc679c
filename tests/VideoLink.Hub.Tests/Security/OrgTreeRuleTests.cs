using System.Net;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Security;

/// <summary>A user sees their own unit and everything below it — never above or beside it.</summary>
public sealed class OrgTreeRuleTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private async Task<HttpClient> UserAtAsync(Guid orgUnit, string role)
    {
        var admin = await hub.LoginAsync();
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostJsonAsync("/api/users", new { username, password = "Passw0rd-1", displayName = "测试", role, orgUnitId = orgUnit });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await hub.LoginAsync(username, "Passw0rd-1");
    }

    [Fact]
    public async Task VillageUser_CannotReadItsTownshipOrDistrict()
    {
        var village = await UserAtAsync(SampleDistrict.Village1Of1, "BranchAdmin");

        var township = await village.GetAsync($"/api/org-units/{SampleDistrict.Township1}").WaitAsync(TestTimeouts.Request);
        var district = await village.GetAsync($"/api/org-units/{SampleDistrict.District}").WaitAsync(TestTimeouts.Request);
        var townshipSite = await village.GetAsync($"/api/sites/{SampleDistrict.Township1Centre}").WaitAsync(TestTimeouts.Request);
        var districtSite = await village.GetAsync($"/api/sites/{SampleDistrict.DistrictCentre}").WaitAsync(TestTimeouts.Request);
        var townshipSites = await village.GetAsync($"/api/sites?orgUnitId={SampleDistrict.Township1}").WaitAsync(TestTimeouts.Request);

        Assert.All([township, district, townshipSite, districtSite, townshipSites], r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden }));
    }

    [Fact]
    public async Task VillageUser_CannotReadASiblingVillage()
    {
        var village = await UserAtAsync(SampleDistrict.Village1Of1, "StationAttendant");

        var sibling = await village.GetAsync($"/api/sites/{SampleDistrict.KioskOfVillage2Of1}").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.NotFound, sibling.StatusCode);
    }

    [Fact]
    public async Task VillageUser_SeesOnlyItsOwnVillage_InEveryList()
    {
        var village = await UserAtAsync(SampleDistrict.Village1Of1, "BranchAdmin");

        var units = await village.GetJsonAsync("/api/org-units");
        var sites = await village.GetJsonAsync("/api/sites");
        var tree = await village.GetJsonAsync("/api/org-units/tree");
        var devices = await village.GetJsonAsync("/api/devices");

        Assert.All(units.EnumerateArray(), u => Assert.True(
            u.GetProperty("id").GetGuid() == SampleDistrict.Village1Of1 || u.GetProperty("parentId").GetGuid() == SampleDistrict.Village1Of1));
        Assert.Equal([SampleDistrict.KioskOfVillage1Of1], sites.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToArray());
        Assert.Equal(1, tree.GetArrayLength());
        Assert.Equal(SampleDistrict.Village1Of1, tree[0].GetProperty("id").GetGuid());
        Assert.All(devices.EnumerateArray(), d => Assert.Equal(SampleDistrict.KioskOfVillage1Of1, d.GetProperty("siteId").GetGuid()));
    }

    [Fact]
    public async Task TownshipUser_SeesItsVillagesButNotTheNextTownship()
    {
        var township = await UserAtAsync(SampleDistrict.Township1, "OrgStaff");

        var village = await township.GetAsync($"/api/sites/{SampleDistrict.KioskOfVillage1Of1}").WaitAsync(TestTimeouts.Request);
        var otherTownshipVillage = await township.GetAsync($"/api/sites/{SampleDistrict.KioskOfVillage1Of2}").WaitAsync(TestTimeouts.Request);
        var kiosks = await township.GetJsonAsync("/api/sites?kind=VillageKiosk");

        Assert.Equal(HttpStatusCode.OK, village.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherTownshipVillage.StatusCode);
        Assert.Equal(10, kiosks.GetArrayLength());
    }

    [Fact]
    public async Task DistrictAdmin_ReadsEverything()
    {
        var admin = await hub.LoginAsync();

        var sites = await admin.GetJsonAsync("/api/sites");
        var otherTownshipVillage = await admin.GetJsonAsync($"/api/sites/{SampleDistrict.KioskOfVillage1Of2}");

        Assert.Equal(160, sites.GetArrayLength());
        Assert.Equal("VillageKiosk", otherTownshipVillage.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task BranchAdmin_CannotCreateAboveOrBesideItself()
    {
        var village = await UserAtAsync(SampleDistrict.Village1Of1, "BranchAdmin");

        var inSibling = await village.PostJsonAsync("/api/sites", new { code = "x-" + Guid.NewGuid().ToString("N")[..8], name = "越权", kind = "MeetingRoom", orgUnitId = SampleDistrict.Village2Of1 });
        var inParent = await village.PostJsonAsync("/api/org-units", new { parentId = SampleDistrict.Township1, code = "x-" + Guid.NewGuid().ToString("N")[..8], name = "越权", kind = "Village" });
        var userAbove = await village.PostJsonAsync("/api/users", new { username = "x" + Guid.NewGuid().ToString("N")[..8], password = "Passw0rd-1", displayName = "x", role = "Member", orgUnitId = SampleDistrict.Township1 });
        var moveOwnSiteAway = await village.PutJsonAsync($"/api/sites/{SampleDistrict.KioskOfVillage1Of1}", new { orgUnitId = SampleDistrict.Village2Of1 });
        var own = await village.PostJsonAsync("/api/sites", new { code = "ok-" + Guid.NewGuid().ToString("N")[..8], name = "村会议室", kind = "MeetingRoom", orgUnitId = SampleDistrict.Village1Of1 });

        Assert.All([inSibling, inParent, userAbove, moveOwnSiteAway], r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden }));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
    }
}

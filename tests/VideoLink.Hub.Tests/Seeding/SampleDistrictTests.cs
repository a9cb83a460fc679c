using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Seeding;

public sealed class SampleDistrictTests(HubFactory hub) : IClassFixture<HubFactory>
{
    [Fact]
    public async Task ExpertStations_AreExactly38()
    {
        var admin = await hub.LoginAsync();

        var stations = await admin.GetJsonAsync("/api/sites?kind=ExpertStation");

        Assert.Equal(38, stations.GetArrayLength());
        Assert.All(stations.EnumerateArray(), s => Assert.NotEqual(0, s.GetProperty("categories").GetArrayLength()));
    }

    [Fact]
    public async Task District_HasTownshipsVillagesKiosksAndCategories()
    {
        var admin = await hub.LoginAsync();

        var townships = await admin.GetJsonAsync("/api/org-units?kind=Township");
        var subdistricts = await admin.GetJsonAsync("/api/org-units?kind=Subdistrict");
        var kiosks = await admin.GetJsonAsync("/api/sites?kind=VillageKiosk");
        var categories = await admin.GetJsonAsync("/api/consultations/categories");
        var experts = await admin.GetJsonAsync("/api/experts?category=medical");

        Assert.Equal(10, townships.GetArrayLength() + subdistricts.GetArrayLength());
        Assert.Equal(100, kiosks.GetArrayLength());
        var codes = categories.EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToList();
        Assert.Equal(["administrative", "medical", "legal", "agriculture", "employment"], codes);
        Assert.Contains(categories.EnumerateArray(), c => c.GetProperty("name").GetString() == "医疗");
        Assert.True(experts.GetArrayLength() > 0);
        Assert.All(experts.EnumerateArray(), e => Assert.True(e.GetProperty("duty").GetArrayLength() > 0));
    }

    [Fact]
    public async Task People_AreShownMasked()
    {
        var admin = await hub.LoginAsync();

        var people = await admin.GetJsonAsync("/api/people");

        var first = people.EnumerateArray().First();
        Assert.Matches(@"^\d{3}\*+\d{4}$", first.GetProperty("phoneMasked").GetString()!);
        Assert.False(first.TryGetProperty("phone", out _));
    }

    [Fact]
    public async Task SipEndpoints_NeverExposeSecrets()
    {
        var admin = await hub.LoginAsync();

        var response = await admin.GetAsync($"/api/endpoints?siteId={SampleDistrict.KioskOfVillage1Of1}").WaitAsync(TestTimeouts.Request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"sipUser\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sample-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ha1", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"password\"", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Tree_ForAdmin_StartsAtTheDistrict()
    {
        var admin = await hub.LoginAsync();

        var tree = await admin.GetJsonAsync("/api/org-units/tree");

        Assert.Equal(1, tree.GetArrayLength());
        Assert.Equal("示例区", tree[0].GetProperty("name").GetString());
        Assert.True(tree[0].GetProperty("children").GetArrayLength() >= 10);
    }

    [Fact]
    public async Task SecondStart_OnSameData_DoesNotDuplicateAnything()
    {
        using var second = HubFactory.With(new() { ["VideoLink:DataDirectory"] = hub.DataDirectory });
        _ = hub.Server; // first host started and seeded
        var before = await hub.WithDatabaseAsync(db => db.Sites.CountAsync());

        var admin = await second.LoginAsync();
        var sites = await admin.GetJsonAsync("/api/sites");
        var users = await second.WithDatabaseAsync(db => db.Users.CountAsync(u => u.Username == "admin"));

        Assert.Equal(before, sites.GetArrayLength());
        Assert.Equal(1, users);
    }
}

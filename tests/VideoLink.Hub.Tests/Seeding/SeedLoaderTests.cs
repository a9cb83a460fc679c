using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Seeding;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Seeding;

public sealed class SeedLoaderTests
{
    private static readonly string SmallDistrictPath = Path.Combine(AppContext.BaseDirectory, "TestData", "Seeds", "small-district.json");

    private static JsonNode Small() => JsonNode.Parse(File.ReadAllText(SmallDistrictPath))!;

    private static SeedException Refused(JsonNode doc) =>
        Assert.Throws<SeedException>(() => SeedLoader.Parse("bad.json", Encoding.UTF8.GetBytes(doc.ToJsonString())));

    [Fact]
    public void Parse_SmallDistrict_IsAccepted()
    {
        var doc = SeedLoader.Parse("small.json", File.ReadAllBytes(SmallDistrictPath));

        Assert.Equal(3, doc.OrgUnits.Count);
    }

    [Fact]
    public void Parse_SyntaxError_NamesFileAndLine()
    {
        var text = "{\n  \"orgUnits\": [\n    { \"code\": \"d\", \n  oops ]\n}";

        var ex = Assert.Throws<SeedException>(() => SeedLoader.Parse("broken.json", Encoding.UTF8.GetBytes(text)));

        Assert.StartsWith("broken.json:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownProperty_IsRefusedWithItsPath()
    {
        var doc = Small();
        doc["sites"]![0]!["colour"] = "red";

        var ex = Refused(doc);

        Assert.Contains("$.sites[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadEnum_IsRefusedWithItsPath()
    {
        var doc = Small();
        doc["sites"]![0]!["kind"] = "Spaceport";

        var ex = Refused(doc);

        Assert.Contains("$.sites[0].kind", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orgUnits", 2, "parent", "nowhere", "$.orgUnits[2].parent", "unknown org unit")]
    [InlineData("sites", 0, "orgUnit", "nowhere", "$.sites[0].orgUnit", "unknown org unit")]
    [InlineData("experts", 0, "station", "k1", "$.experts[0].station", "not an ExpertStation")]
    [InlineData("devices", 0, "driver", "telepathy", "$.devices[0].driver", "unknown driver")]
    [InlineData("endpoints", 0, "sipUser", "bad user!", "$.endpoints[0].sipUser", "sipUser")]
    [InlineData("people", 0, "idNumber", "110105194912310021", "$.people[0].idNumber", "resident ID")]
    public void Parse_BrokenReference_IsRefusedWithPathAndReason(string list, int index, string field, string value, string path, string reason)
    {
        var doc = Small();
        doc[list]![index]![field] = value;

        var ex = Refused(doc);

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateCodes_AreRefused()
    {
        var doc = Small();
        doc["sites"]![1]!["code"] = "k1";

        var ex = Refused(doc);

        Assert.Contains("duplicate code 'k1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoRoots_AreRefused()
    {
        var doc = Small();
        doc["orgUnits"]![1]!["parent"] = null;

        var ex = Refused(doc);

        Assert.Contains("exactly one org unit must have no parent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithBadSeed_FailsWithTheMessage_AndLeavesNothingHalfLoaded()
    {
        var bad = Small();
        bad["devices"]![0]!["driver"] = "telepathy";
        var file = Path.Combine(Path.GetTempPath(), $"bad-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, bad.ToJsonString());
        using var hub = HubFactory.With(new() { ["VideoLink:SeedFile"] = file });

        var ex = Assert.ThrowsAny<Exception>(() => hub.Server);

        Assert.Contains("telepathy", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains(file, ex.ToString(), StringComparison.Ordinal);
        File.Delete(file);
    }

    [Fact]
    public async Task Start_WithOtherDistrict_LoadsItInsteadOfTheSample()
    {
        using var hub = HubFactory.With(new() { ["VideoLink:SeedFile"] = SmallDistrictPath });

        var admin = await hub.LoginAsync();
        var sites = await admin.GetJsonAsync("/api/sites");
        var people = await admin.GetJsonAsync("/api/people");

        Assert.Equal(2, sites.GetArrayLength());
        var person = people[0];
        Assert.Equal("1101**********002X", person.GetProperty("idNumberMasked").GetString());
        var stored = await hub.WithDatabaseAsync(db => db.People.SingleAsync());
        Assert.NotNull(stored.IdNumberHash);
        Assert.DoesNotContain("11010519491231002X", stored.IdNumberHash + stored.IdNumberMasked, StringComparison.Ordinal);
    }
}

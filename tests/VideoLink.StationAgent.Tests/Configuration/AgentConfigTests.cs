using VideoLink.StationAgent.Configuration;

namespace VideoLink.StationAgent.Tests.Configuration;

public sealed class AgentConfigTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agent-config-" + Guid.NewGuid().ToString("N"));

    public AgentConfigTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, true);

    private AgentConfigException Refused(string json)
    {
        var path = Path.Combine(_folder, "agent.json");
        File.WriteAllText(path, json);
        return Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Load(path));
    }

    private const string Site = "\"siteId\":\"6e711286-9bc9-5b1b-bad8-623f9409ac7f\"";

    [Fact]
    public void Load_ValidConfig_ResolvesTheDataFolderNextToTheFile()
    {
        var path = Path.Combine(_folder, "agent.json");
        File.WriteAllText(path, "{\"hubUrl\":\"http://127.0.0.1:5080\"," + Site + ",\"dataDirectory\":\"data\",\"devices\":[{\"id\":\"cam1\",\"kind\":\"Camera\",\"driver\":\"visca-serial\",\"port\":\"/dev/ttyUSB0\",\"baud\":9600,\"address\":1}]}");

        var config = AgentConfigLoader.Load(path);

        Assert.Equal(Path.Combine(_folder, "data"), config.DataDirectory);
        Assert.Single(config.Devices);
    }

    [Theory]
    [InlineData("{\"hubUrl\":\"ftp://x\"," + Site + "}", "hubUrl")]
    [InlineData("{\"hubUrl\":\"http://h\"}", "siteId")]
    [InlineData("{\"hubUrl\":\"http://h\"," + Site + ",\"devices\":[{\"id\":\"c\",\"driver\":\"telepathy\"}]}", "devices[0].driver")]
    [InlineData("{\"hubUrl\":\"http://h\"," + Site + ",\"devices\":[{\"id\":\"c\",\"driver\":\"visca-serial\",\"port\":\"/dev/x\",\"address\":9}]}", "devices[0].address")]
    [InlineData("{\"hubUrl\":\"http://h\"," + Site + ",\"devices\":[{\"id\":\"c\",\"driver\":\"visca-serial\",\"port\":\"/dev/x\",\"baud\":1234}]}", "devices[0].baud")]
    [InlineData("{\"hubUrl\":\"http://h\"," + Site + ",\"devices\":[{\"id\":\"c\",\"driver\":\"lcus-relay\",\"port\":\"/dev/x\"},{\"id\":\"c\",\"driver\":\"lcus-relay\",\"port\":\"/dev/y\"}]}", "devices[1].id")]
    [InlineData("{\"hubUrl\":\"http://h\",", "$")]
    public void Load_BadConfig_IsRefusedNamingTheField(string json, string field)
    {
        var ex = Refused(json);

        Assert.StartsWith(field, ex.Field, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
    }

    [Fact]
    public void Load_UnknownProperties_AreWarnedAbout_NotFatal()
    {
        var path = Path.Combine(_folder, "agent.json");
        File.WriteAllText(path, "{\"hubUrl\":\"http://h\"," + Site + ",\"colour\":\"red\",\"devices\":[{\"id\":\"cam1\",\"name\":\"大厅摄像机\",\"driver\":\"visca-serial\",\"port\":\"/dev/x\"}]}");

        var config = AgentConfigLoader.Load(path, out var warnings);

        Assert.Single(config.Devices);
        Assert.Contains(warnings, w => w.StartsWith("colour:", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("devices[0].name:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Program_WithBadConfig_ExitsWithCode2()
    {
        var path = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(path, "{\"hubUrl\":\"nope\"}");

        var code = await AgentProgram.RunAsync(["--config", path]);

        Assert.Equal(2, code);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Seeding;

/// <summary>The shape of a district seed file (see seeds/README.md). Unknown properties are refused.</summary>
public sealed class SeedDocument
{
    public bool Sample { get; set; }
    public string? Note { get; set; }
    public string? Name { get; set; }
    public List<SeedCategory> Categories { get; set; } = [];
    public List<SeedOrgUnit> OrgUnits { get; set; } = [];
    public List<SeedSite> Sites { get; set; } = [];
    public List<SeedPerson> People { get; set; } = [];
    public List<SeedExpert> Experts { get; set; } = [];
    public List<SeedEndpoint> Endpoints { get; set; } = [];
    public List<SeedDevice> Devices { get; set; } = [];
}

public sealed class SeedCategory
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? NameEn { get; set; }
    public string? Icon { get; set; }
}

public sealed class SeedOrgUnit
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public OrgUnitKind Kind { get; set; }
    public string? Parent { get; set; }
}

public sealed class SeedSite
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public SiteKind Kind { get; set; }
    public required string OrgUnit { get; set; }
    public string? Address { get; set; }
    public List<string> Categories { get; set; } = [];
}

public sealed class SeedPerson
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string OrgUnit { get; set; }
    public string? IdNumber { get; set; }
    public string? Phone { get; set; }
}

public sealed class SeedExpert
{
    public required string Code { get; set; }
    public required string Person { get; set; }
    public required string Station { get; set; }
    public required string Category { get; set; }
    public string? Title { get; set; }
    public List<SeedDuty> Duty { get; set; } = [];
}

public sealed class SeedDuty
{
    public DayOfWeek Day { get; set; }
    public TimeOnly Start { get; set; }
    public TimeOnly End { get; set; }
}

public sealed class SeedEndpoint
{
    public required string Site { get; set; }
    public EndpointKind Kind { get; set; }
    public string? SipUser { get; set; }
    public required string DisplayName { get; set; }
    public string? Password { get; set; }
}

public sealed class SeedDevice
{
    public required string Site { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public DeviceKind Kind { get; set; }
    public required string Driver { get; set; }
    public string? Port { get; set; }
    public string? Host { get; set; }
    public int? Address { get; set; }
    public JsonElement? Options { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SeedDocument))]
internal sealed partial class SeedJson : JsonSerializerContext;

using VideoLink.Hub.Seeding;

namespace VideoLink.Hub.Tests.Infrastructure;

/// <summary>Ids of well-known places in seeds/sample-district.json (ids are derived from the seed codes).</summary>
public static class SampleDistrict
{
    public static Guid District => StableIds.For("org", "district");
    public static Guid OrgDepartment => StableIds.For("org", "orgdept");
    public static Guid Township1 => StableIds.For("org", "tw-01");
    public static Guid Township2 => StableIds.For("org", "tw-02");
    public static Guid Village1Of1 => StableIds.For("org", "tw-01-v01");
    public static Guid Village2Of1 => StableIds.For("org", "tw-01-v02");
    public static Guid Village1Of2 => StableIds.For("org", "tw-02-v01");
    public static Guid KioskOfVillage1Of1 => StableIds.For("site", "site-tw-01-v01-kiosk");
    public static Guid KioskOfVillage2Of1 => StableIds.For("site", "site-tw-01-v02-kiosk");
    public static Guid KioskOfVillage1Of2 => StableIds.For("site", "site-tw-02-v01-kiosk");
    public static Guid Township1Centre => StableIds.For("site", "site-tw-01-centre");
    public static Guid DistrictCentre => StableIds.For("site", "site-district-centre");

    /// <summary>Medical 服务面对面 stations: es-01 at the health commission, es-29 in township 1, es-30 in township 2.</summary>
    public static Guid HealthStation1 => StableIds.For("site", "es-01");
    public static Guid HealthStation2 => StableIds.For("site", "es-02");
    public static Guid StationOfTownship1 => StableIds.For("site", "es-29");
    public static Guid StationOfTownship2 => StableIds.For("site", "es-30");
}

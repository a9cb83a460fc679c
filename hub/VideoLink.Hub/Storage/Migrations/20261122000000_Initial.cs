using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>
/// The directory schema. Written by hand without column types: EF takes each column's store type from the
/// model for the active provider, so the same migration serves SQLite and PostgreSQL. The storage tests
/// compare the migrated schema with the model on both providers.
/// </summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "OrgUnits",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                ParentId = t.Column<Guid>(nullable: true),
                Code = t.Column<string>(maxLength: 64, nullable: false),
                Name = t.Column<string>(maxLength: 200, nullable: false),
                Kind = t.Column<string>(maxLength: 32, nullable: false),
                Depth = t.Column<int>(nullable: false),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_OrgUnits", x => x.Id);
                t.ForeignKey("FK_OrgUnits_OrgUnits_ParentId", x => x.ParentId, "OrgUnits", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "ServiceCategories",
            columns: t => new
            {
                Code = t.Column<string>(maxLength: 32, nullable: false),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                NameEn = t.Column<string>(maxLength: 64, nullable: true),
                Icon = t.Column<string>(maxLength: 64, nullable: true),
                SortOrder = t.Column<int>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_ServiceCategories", x => x.Code));

        migrationBuilder.CreateTable(
            name: "SeedRuns",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Name = t.Column<string>(maxLength: 260, nullable: false),
                Sha256 = t.Column<string>(maxLength: 64, nullable: false),
                AppliedUtc = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_SeedRuns", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Sites",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                OrgUnitId = t.Column<Guid>(nullable: false),
                Code = t.Column<string>(maxLength: 64, nullable: false),
                Name = t.Column<string>(maxLength: 200, nullable: false),
                Kind = t.Column<string>(maxLength: 32, nullable: false),
                Address = t.Column<string>(maxLength: 400, nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Sites", x => x.Id);
                t.ForeignKey("FK_Sites_OrgUnits_OrgUnitId", x => x.OrgUnitId, "OrgUnits", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "People",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                OrgUnitId = t.Column<Guid>(nullable: false),
                Name = t.Column<string>(maxLength: 100, nullable: false),
                IdNumberHash = t.Column<string>(maxLength: 64, nullable: true),
                IdNumberMasked = t.Column<string>(maxLength: 32, nullable: true),
                PhoneMasked = t.Column<string>(maxLength: 32, nullable: true),
                PhoneHash = t.Column<string>(maxLength: 64, nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_People", x => x.Id);
                t.ForeignKey("FK_People_OrgUnits_OrgUnitId", x => x.OrgUnitId, "OrgUnits", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "Users",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Username = t.Column<string>(maxLength: 64, nullable: false),
                PasswordHash = t.Column<string>(maxLength: 256, nullable: false),
                DisplayName = t.Column<string>(maxLength: 100, nullable: false),
                Role = t.Column<string>(maxLength: 32, nullable: false),
                OrgUnitId = t.Column<Guid>(nullable: false),
                PersonId = t.Column<Guid>(nullable: true),
                FailedLogins = t.Column<int>(nullable: false),
                LockedUntilUtc = t.Column<DateTime>(nullable: true),
                CreatedUtc = t.Column<DateTime>(nullable: false),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Users", x => x.Id);
                t.ForeignKey("FK_Users_OrgUnits_OrgUnitId", x => x.OrgUnitId, "OrgUnits", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "SiteServiceCategories",
            columns: t => new
            {
                SiteId = t.Column<Guid>(nullable: false),
                CategoryCode = t.Column<string>(maxLength: 32, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_SiteServiceCategories", x => new { x.SiteId, x.CategoryCode });
                t.ForeignKey("FK_SiteServiceCategories_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_SiteServiceCategories_ServiceCategories_CategoryCode", x => x.CategoryCode, "ServiceCategories", "Code", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "Endpoints",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                SipUser = t.Column<string>(maxLength: 64, nullable: true),
                DisplayName = t.Column<string>(maxLength: 200, nullable: false),
                SipHa1Md5 = t.Column<string>(maxLength: 32, nullable: true),
                SipHa1Sha256 = t.Column<string>(maxLength: 64, nullable: true),
                SipRealm = t.Column<string>(maxLength: 128, nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Endpoints", x => x.Id);
                t.ForeignKey("FK_Endpoints_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Devices",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
                Code = t.Column<string>(maxLength: 64, nullable: false),
                Name = t.Column<string>(maxLength: 200, nullable: false),
                Kind = t.Column<string>(maxLength: 32, nullable: false),
                Driver = t.Column<string>(maxLength: 64, nullable: false),
                Port = t.Column<string>(maxLength: 256, nullable: true),
                Host = t.Column<string>(maxLength: 256, nullable: true),
                Address = t.Column<int>(nullable: true),
                OptionsJson = t.Column<string>(nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Devices", x => x.Id);
                t.ForeignKey("FK_Devices_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Experts",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                PersonId = t.Column<Guid>(nullable: false),
                StationSiteId = t.Column<Guid>(nullable: false),
                CategoryCode = t.Column<string>(maxLength: 32, nullable: false),
                Title = t.Column<string>(maxLength: 100, nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Experts", x => x.Id);
                t.ForeignKey("FK_Experts_People_PersonId", x => x.PersonId, "People", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_Experts_Sites_StationSiteId", x => x.StationSiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_Experts_ServiceCategories_CategoryCode", x => x.CategoryCode, "ServiceCategories", "Code", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "DutyShifts",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                ExpertId = t.Column<Guid>(nullable: false),
                Day = t.Column<string>(maxLength: 16, nullable: false),
                Start = t.Column<TimeOnly>(nullable: false),
                End = t.Column<TimeOnly>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_DutyShifts", x => x.Id);
                t.ForeignKey("FK_DutyShifts_Experts_ExpertId", x => x.ExpertId, "Experts", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("IX_OrgUnits_Code", "OrgUnits", "Code", unique: true);
        migrationBuilder.CreateIndex("IX_OrgUnits_OrgPath", "OrgUnits", "OrgPath");
        migrationBuilder.CreateIndex("IX_OrgUnits_ParentId", "OrgUnits", "ParentId");
        migrationBuilder.CreateIndex("IX_Sites_Code", "Sites", "Code", unique: true);
        migrationBuilder.CreateIndex("IX_Sites_OrgPath", "Sites", "OrgPath");
        migrationBuilder.CreateIndex("IX_Sites_OrgUnitId", "Sites", "OrgUnitId");
        migrationBuilder.CreateIndex("IX_SiteServiceCategories_CategoryCode", "SiteServiceCategories", "CategoryCode");
        migrationBuilder.CreateIndex("IX_Endpoints_SipUser", "Endpoints", "SipUser", unique: true);
        migrationBuilder.CreateIndex("IX_Endpoints_OrgPath", "Endpoints", "OrgPath");
        migrationBuilder.CreateIndex("IX_Endpoints_SiteId", "Endpoints", "SiteId");
        migrationBuilder.CreateIndex("IX_Devices_SiteId_Code", "Devices", new[] { "SiteId", "Code" }, unique: true);
        migrationBuilder.CreateIndex("IX_Devices_OrgPath", "Devices", "OrgPath");
        migrationBuilder.CreateIndex("IX_People_IdNumberHash", "People", "IdNumberHash");
        migrationBuilder.CreateIndex("IX_People_OrgPath", "People", "OrgPath");
        migrationBuilder.CreateIndex("IX_People_OrgUnitId", "People", "OrgUnitId");
        migrationBuilder.CreateIndex("IX_Experts_OrgPath", "Experts", "OrgPath");
        migrationBuilder.CreateIndex("IX_Experts_PersonId", "Experts", "PersonId");
        migrationBuilder.CreateIndex("IX_Experts_StationSiteId", "Experts", "StationSiteId");
        migrationBuilder.CreateIndex("IX_Experts_CategoryCode", "Experts", "CategoryCode");
        migrationBuilder.CreateIndex("IX_DutyShifts_ExpertId", "DutyShifts", "ExpertId");
        migrationBuilder.CreateIndex("IX_Users_Username", "Users", "Username", unique: true);
        migrationBuilder.CreateIndex("IX_Users_OrgPath", "Users", "OrgPath");
        migrationBuilder.CreateIndex("IX_Users_OrgUnitId", "Users", "OrgUnitId");
        migrationBuilder.CreateIndex("IX_SeedRuns_Sha256", "SeedRuns", "Sha256", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "DutyShifts", "Experts", "Devices", "Endpoints", "SiteServiceCategories", "Users", "People", "Sites", "SeedRuns", "ServiceCategories", "OrgUnits" })
        {
            migrationBuilder.DropTable(table);
        }
    }
}

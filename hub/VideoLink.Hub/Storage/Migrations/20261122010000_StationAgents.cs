using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>Station agents: enrolment tokens, enrolled agents and the attendance journal (check-ins).</summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261122010000_StationAgents")]
public sealed class StationAgents : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "AgentEnrollments",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
                TokenHash = t.Column<string>(maxLength: 64, nullable: false),
                ExpiresUtc = t.Column<DateTime>(nullable: false),
                UsedUtc = t.Column<DateTime>(nullable: true),
                CreatedUtc = t.Column<DateTime>(nullable: false),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_AgentEnrollments", x => x.Id);
                t.ForeignKey("FK_AgentEnrollments_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "StationAgents",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
                SecretHash = t.Column<string>(maxLength: 64, nullable: false),
                EnrolledUtc = t.Column<DateTime>(nullable: false),
                LastSeenUtc = t.Column<DateTime>(nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_StationAgents", x => x.Id);
                t.ForeignKey("FK_StationAgents_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "CheckIns",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
                DeviceCode = t.Column<string>(maxLength: 64, nullable: false),
                Method = t.Column<string>(maxLength: 16, nullable: false),
                PersonHash = t.Column<string>(maxLength: 64, nullable: true),
                PersonMasked = t.Column<string>(maxLength: 64, nullable: true),
                Detail = t.Column<string>(maxLength: 200, nullable: true),
                DeviceTimeUtc = t.Column<DateTime>(nullable: false),
                ReceivedUtc = t.Column<DateTime>(nullable: false),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_CheckIns", x => x.Id);
                t.ForeignKey("FK_CheckIns_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("IX_AgentEnrollments_TokenHash", "AgentEnrollments", "TokenHash", unique: true);
        migrationBuilder.CreateIndex("IX_AgentEnrollments_SiteId", "AgentEnrollments", "SiteId");
        migrationBuilder.CreateIndex("IX_StationAgents_SiteId", "StationAgents", "SiteId", unique: true);
        migrationBuilder.CreateIndex("IX_CheckIns_SiteId_DeviceTimeUtc", "CheckIns", new[] { "SiteId", "DeviceTimeUtc" });
        migrationBuilder.CreateIndex("IX_CheckIns_OrgPath", "CheckIns", "OrgPath");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("CheckIns");
        migrationBuilder.DropTable("StationAgents");
        migrationBuilder.DropTable("AgentEnrollments");
    }
}

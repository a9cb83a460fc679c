using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>Rooms (consultations and meetings) with their SIP dial-in numbers.</summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261122020000_Rooms")]
public sealed class Rooms : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Rooms",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Name = t.Column<string>(maxLength: 200, nullable: false),
                SipNumber = t.Column<string>(maxLength: 16, nullable: false),
                OrgUnitId = t.Column<Guid>(nullable: false),
                CreatedByUserId = t.Column<Guid>(nullable: true),
                CreatedUtc = t.Column<DateTime>(nullable: false),
                ClosedUtc = t.Column<DateTime>(nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Rooms", x => x.Id);
                t.ForeignKey("FK_Rooms_OrgUnits_OrgUnitId", x => x.OrgUnitId, "OrgUnits", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_Rooms_SipNumber", "Rooms", "SipNumber", unique: true);
        migrationBuilder.CreateIndex("IX_Rooms_OrgPath", "Rooms", "OrgPath");
        migrationBuilder.CreateIndex("IX_Rooms_OrgUnitId", "Rooms", "OrgUnitId");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Rooms");
}

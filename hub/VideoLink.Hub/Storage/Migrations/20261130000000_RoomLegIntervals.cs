using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>Connected intervals of room legs: the durable record attendance is computed from.</summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261130000000_RoomLegIntervals")]
public sealed class RoomLegIntervals : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "RoomLegIntervals",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                RoomId = t.Column<Guid>(nullable: false),
                LegId = t.Column<Guid>(nullable: false),
                LegKind = t.Column<string>(maxLength: 16, nullable: false),
                EndpointId = t.Column<Guid>(nullable: true),
                SiteId = t.Column<Guid>(nullable: true),
                DisplayName = t.Column<string>(maxLength: 200, nullable: false),
                JoinedUtc = t.Column<DateTime>(nullable: false),
                LeftUtc = t.Column<DateTime>(nullable: true),
                LeftReason = t.Column<string>(maxLength: 64, nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_RoomLegIntervals", x => x.Id);
                t.ForeignKey("FK_RoomLegIntervals_Rooms_RoomId", x => x.RoomId, "Rooms", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_RoomLegIntervals_RoomId", "RoomLegIntervals", "RoomId");
        migrationBuilder.CreateIndex("IX_RoomLegIntervals_SiteId", "RoomLegIntervals", "SiteId");
        migrationBuilder.CreateIndex("IX_RoomLegIntervals_JoinedUtc", "RoomLegIntervals", "JoinedUtc");
        migrationBuilder.CreateIndex("IX_RoomLegIntervals_OrgPath", "RoomLegIntervals", "OrgPath");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("RoomLegIntervals");
}

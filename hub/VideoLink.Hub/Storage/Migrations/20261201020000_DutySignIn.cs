using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>Duty sign-in (网上签到): a person's duty station, required days per week and duty start time.</summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261201020000_DutySignIn")]
public sealed class DutySignIn : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<Guid>(name: "DutySiteId", table: "People", nullable: true);
        migrationBuilder.AddColumn<int>(name: "DutyDaysPerWeek", table: "People", nullable: true);
        migrationBuilder.AddColumn<TimeOnly>(name: "DutyStart", table: "People", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "DutySiteId", table: "People");
        migrationBuilder.DropColumn(name: "DutyDaysPerWeek", table: "People");
        migrationBuilder.DropColumn(name: "DutyStart", table: "People");
    }
}

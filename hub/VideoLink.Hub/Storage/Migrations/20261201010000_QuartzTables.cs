using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>
/// The Quartz job store's tables (<c>qrtz_*</c>) in the hub's own database, so booking jobs live and commit beside the
/// bookings. The DDL is the script the pinned Quartz package ships for the active provider (embedded in Quartz.dll), so
/// the tables always match the job store that reads them; the scheduler only validates the schema
/// (<c>SchemaProvisioning.Validate</c>), it never creates tables itself.
/// </summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261201010000_QuartzTables")]
public sealed class QuartzTables : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var statement in VideoLink.Hub.Bookings.QuartzSchema.Statements(migrationBuilder.ActiveProvider))
        {
            migrationBuilder.Sql(statement);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in VideoLink.Hub.Bookings.QuartzSchema.Tables(migrationBuilder.ActiveProvider))
        {
            migrationBuilder.Sql($"DROP TABLE IF EXISTS {table};");
        }
    }
}

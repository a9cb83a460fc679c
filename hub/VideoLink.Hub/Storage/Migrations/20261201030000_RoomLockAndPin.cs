using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>A room's lock and dial-in PIN (hashed) outlive a hub restart.</summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261201030000_RoomLockAndPin")]
public sealed class RoomLockAndPin : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(name: "Locked", table: "Rooms", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<string>(name: "PinHash", table: "Rooms", maxLength: 128, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "Locked", table: "Rooms");
        migrationBuilder.DropColumn(name: "PinHash", table: "Rooms");
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>Bookings (series, sites, per-occurrence changes), their runs and dial states, notices and read receipts.</summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261201000000_Bookings")]
public sealed class Bookings : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Bookings",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Title = t.Column<string>(maxLength: 200, nullable: false),
                OrganizerOrgUnitId = t.Column<Guid>(nullable: false),
                MainVenueSiteId = t.Column<Guid>(nullable: false),
                StartUtc = t.Column<DateTime>(nullable: false),
                EndUtc = t.Column<DateTime>(nullable: false),
                TimeZone = t.Column<string>(maxLength: 64, nullable: false),
                Recurrence = t.Column<string>(maxLength: 512, nullable: true),
                SeriesEndUtc = t.Column<DateTime>(nullable: true),
                LaunchMode = t.Column<string>(maxLength: 16, nullable: false),
                Recording = t.Column<bool>(nullable: false),
                PrepareMinutes = t.Column<int>(nullable: false),
                CreatedByUserId = t.Column<Guid>(nullable: true),
                CreatedUtc = t.Column<DateTime>(nullable: false),
                CancelledUtc = t.Column<DateTime>(nullable: true),
                Sequence = t.Column<int>(nullable: false),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Bookings", x => x.Id);
                t.ForeignKey("FK_Bookings_OrgUnits_OrganizerOrgUnitId", x => x.OrganizerOrgUnitId, "OrgUnits", "Id", onDelete: ReferentialAction.Restrict);
                t.ForeignKey("FK_Bookings_Sites_MainVenueSiteId", x => x.MainVenueSiteId, "Sites", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_Bookings_OrgPath", "Bookings", "OrgPath");
        migrationBuilder.CreateIndex("IX_Bookings_StartUtc", "Bookings", "StartUtc");
        migrationBuilder.CreateIndex("IX_Bookings_OrganizerOrgUnitId", "Bookings", "OrganizerOrgUnitId");
        migrationBuilder.CreateIndex("IX_Bookings_MainVenueSiteId", "Bookings", "MainVenueSiteId");

        migrationBuilder.CreateTable(
            name: "BookingSites",
            columns: t => new
            {
                BookingId = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_BookingSites", x => new { x.BookingId, x.SiteId });
                t.ForeignKey("FK_BookingSites_Bookings_BookingId", x => x.BookingId, "Bookings", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_BookingSites_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_BookingSites_SiteId", "BookingSites", "SiteId");

        migrationBuilder.CreateTable(
            name: "BookingOccurrenceChanges",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                BookingId = t.Column<Guid>(nullable: false),
                OriginalStartUtc = t.Column<DateTime>(nullable: false),
                StartUtc = t.Column<DateTime>(nullable: true),
                EndUtc = t.Column<DateTime>(nullable: true),
                Cancelled = t.Column<bool>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_BookingOccurrenceChanges", x => x.Id);
                t.ForeignKey("FK_BookingOccurrenceChanges_Bookings_BookingId", x => x.BookingId, "Bookings", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_BookingOccurrenceChanges_BookingId_OriginalStartUtc", "BookingOccurrenceChanges", ["BookingId", "OriginalStartUtc"], unique: true);

        migrationBuilder.CreateTable(
            name: "MeetingRuns",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                BookingId = t.Column<Guid>(nullable: false),
                OccurrenceStartUtc = t.Column<DateTime>(nullable: false),
                StartUtc = t.Column<DateTime>(nullable: false),
                EndUtc = t.Column<DateTime>(nullable: false),
                RoomId = t.Column<Guid>(nullable: true),
                PreparedUtc = t.Column<DateTime>(nullable: true),
                LaunchedUtc = t.Column<DateTime>(nullable: true),
                WarnedUtc = t.Column<DateTime>(nullable: true),
                EndedUtc = t.Column<DateTime>(nullable: true),
                Missed = t.Column<string>(maxLength: 200, nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_MeetingRuns", x => x.Id);
                t.ForeignKey("FK_MeetingRuns_Bookings_BookingId", x => x.BookingId, "Bookings", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_MeetingRuns_BookingId_OccurrenceStartUtc", "MeetingRuns", ["BookingId", "OccurrenceStartUtc"], unique: true);
        migrationBuilder.CreateIndex("IX_MeetingRuns_OrgPath", "MeetingRuns", "OrgPath");

        migrationBuilder.CreateTable(
            name: "MeetingDials",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                RunId = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
                EndpointId = t.Column<Guid>(nullable: true),
                Attempts = t.Column<int>(nullable: false),
                LastAttemptUtc = t.Column<DateTime>(nullable: true),
                LastOutcome = t.Column<string>(maxLength: 200, nullable: true),
                ConnectedUtc = t.Column<DateTime>(nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_MeetingDials", x => x.Id);
                t.ForeignKey("FK_MeetingDials_MeetingRuns_RunId", x => x.RunId, "MeetingRuns", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_MeetingDials_RunId_SiteId", "MeetingDials", ["RunId", "SiteId"], unique: true);
        migrationBuilder.CreateIndex("IX_MeetingDials_OrgPath", "MeetingDials", "OrgPath");

        migrationBuilder.CreateTable(
            name: "Notices",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Title = t.Column<string>(maxLength: 200, nullable: false),
                Body = t.Column<string>(maxLength: 4000, nullable: false),
                Kind = t.Column<string>(maxLength: 32, nullable: false),
                BookingId = t.Column<Guid>(nullable: true),
                SenderUserId = t.Column<Guid>(nullable: true),
                SenderOrgUnitId = t.Column<Guid>(nullable: false),
                CreatedUtc = t.Column<DateTime>(nullable: false),
                AttachmentName = t.Column<string>(maxLength: 200, nullable: true),
                Attachment = t.Column<string>(nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_Notices", x => x.Id));
        migrationBuilder.CreateIndex("IX_Notices_BookingId", "Notices", "BookingId");
        migrationBuilder.CreateIndex("IX_Notices_OrgPath", "Notices", "OrgPath");

        migrationBuilder.CreateTable(
            name: "NoticeRecipients",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                NoticeId = t.Column<Guid>(nullable: false),
                UserId = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: true),
                ReadUtc = t.Column<DateTime>(nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_NoticeRecipients", x => x.Id);
                t.ForeignKey("FK_NoticeRecipients_Notices_NoticeId", x => x.NoticeId, "Notices", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_NoticeRecipients_NoticeId_UserId", "NoticeRecipients", ["NoticeId", "UserId"], unique: true);
        migrationBuilder.CreateIndex("IX_NoticeRecipients_UserId", "NoticeRecipients", "UserId");
        migrationBuilder.CreateIndex("IX_NoticeRecipients_OrgPath", "NoticeRecipients", "OrgPath");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("NoticeRecipients");
        migrationBuilder.DropTable("Notices");
        migrationBuilder.DropTable("MeetingDials");
        migrationBuilder.DropTable("MeetingRuns");
        migrationBuilder.DropTable("BookingOccurrenceChanges");
        migrationBuilder.DropTable("BookingSites");
        migrationBuilder.DropTable("Bookings");
    }
}

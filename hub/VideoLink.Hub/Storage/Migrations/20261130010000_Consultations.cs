using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoLink.Hub.Storage.Migrations;

/// <summary>服务面对面 consultations: records, offers (rings), kiosk credentials, expert logins, presence and extra categories.</summary>
[DbContext(typeof(VideoLinkDbContext))]
[Migration("20261130010000_Consultations")]
public sealed class Consultations : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(name: "RecordConsultations", table: "ServiceCategories", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<Guid>(name: "UserId", table: "Experts", nullable: true);
        migrationBuilder.AddColumn<string>(name: "PresenceStatus", table: "Experts", maxLength: 16, nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "IdleSinceUtc", table: "Experts", nullable: true);
        migrationBuilder.CreateIndex("IX_Experts_UserId", "Experts", "UserId", unique: true);

        migrationBuilder.CreateTable(
            name: "ExpertCategories",
            columns: t => new
            {
                ExpertId = t.Column<Guid>(nullable: false),
                CategoryCode = t.Column<string>(maxLength: 32, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_ExpertCategories", x => new { x.ExpertId, x.CategoryCode });
                t.ForeignKey("FK_ExpertCategories_Experts_ExpertId", x => x.ExpertId, "Experts", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_ExpertCategories_ServiceCategories_CategoryCode", x => x.CategoryCode, "ServiceCategories", "Code", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_ExpertCategories_CategoryCode", "ExpertCategories", "CategoryCode");

        migrationBuilder.CreateTable(
            name: "Consultations",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Sequence = t.Column<long>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
                CategoryCode = t.Column<string>(maxLength: 32, nullable: false),
                Source = t.Column<string>(maxLength: 16, nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                Outcome = t.Column<string>(maxLength: 16, nullable: true),
                PersonHash = t.Column<string>(maxLength: 64, nullable: true),
                PersonMasked = t.Column<string>(maxLength: 64, nullable: true),
                RequestedUtc = t.Column<DateTime>(nullable: false),
                OfferedUtc = t.Column<DateTime>(nullable: true),
                AnsweredUtc = t.Column<DateTime>(nullable: true),
                EndedUtc = t.Column<DateTime>(nullable: true),
                ExpertId = t.Column<Guid>(nullable: true),
                StationSiteId = t.Column<Guid>(nullable: true),
                StationOrgPath = t.Column<string>(maxLength: 1024, nullable: true),
                TargetExpertId = t.Column<Guid>(nullable: true),
                RoomId = t.Column<Guid>(nullable: true),
                InvitedExpertIds = t.Column<string>(maxLength: 1000, nullable: true),
                Notes = t.Column<string>(maxLength: 8000, nullable: true),
                Rating = t.Column<string>(maxLength: 8, nullable: true),
                RatedUtc = t.Column<DateTime>(nullable: true),
                Recording = t.Column<bool>(nullable: false),
                RecordingRef = t.Column<string>(maxLength: 400, nullable: true),
                CallbackClosedUtc = t.Column<DateTime>(nullable: true),
                CallbackNote = t.Column<string>(maxLength: 1000, nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Consultations", x => x.Id);
                t.ForeignKey("FK_Consultations_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_Consultations_ServiceCategories_CategoryCode", x => x.CategoryCode, "ServiceCategories", "Code", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_Consultations_Sequence", "Consultations", "Sequence", unique: true);
        migrationBuilder.CreateIndex("IX_Consultations_Status", "Consultations", "Status");
        migrationBuilder.CreateIndex("IX_Consultations_RequestedUtc", "Consultations", "RequestedUtc");
        migrationBuilder.CreateIndex("IX_Consultations_SiteId", "Consultations", "SiteId");
        migrationBuilder.CreateIndex("IX_Consultations_ExpertId", "Consultations", "ExpertId");
        migrationBuilder.CreateIndex("IX_Consultations_RoomId", "Consultations", "RoomId");
        migrationBuilder.CreateIndex("IX_Consultations_OrgPath", "Consultations", "OrgPath");
        migrationBuilder.CreateIndex("IX_Consultations_StationOrgPath", "Consultations", "StationOrgPath");
        migrationBuilder.CreateIndex("IX_Consultations_CategoryCode", "Consultations", "CategoryCode");

        migrationBuilder.CreateTable(
            name: "ConsultationOffers",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                ConsultationId = t.Column<Guid>(nullable: false),
                ExpertId = t.Column<Guid>(nullable: false),
                OfferedUtc = t.Column<DateTime>(nullable: false),
                RespondedUtc = t.Column<DateTime>(nullable: true),
                Response = t.Column<string>(maxLength: 16, nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_ConsultationOffers", x => x.Id);
                t.ForeignKey("FK_ConsultationOffers_Consultations_ConsultationId", x => x.ConsultationId, "Consultations", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_ConsultationOffers_ConsultationId", "ConsultationOffers", "ConsultationId");
        migrationBuilder.CreateIndex("IX_ConsultationOffers_ExpertId_OfferedUtc", "ConsultationOffers", ["ExpertId", "OfferedUtc"]);

        migrationBuilder.CreateTable(
            name: "KioskCredentials",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SiteId = t.Column<Guid>(nullable: false),
                SecretHash = t.Column<string>(maxLength: 64, nullable: false),
                CreatedUtc = t.Column<DateTime>(nullable: false),
                RevokedUtc = t.Column<DateTime>(nullable: true),
                OrgPath = t.Column<string>(maxLength: 1024, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_KioskCredentials", x => x.Id);
                t.ForeignKey("FK_KioskCredentials_Sites_SiteId", x => x.SiteId, "Sites", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_KioskCredentials_SiteId", "KioskCredentials", "SiteId");
        migrationBuilder.CreateIndex("IX_KioskCredentials_OrgPath", "KioskCredentials", "OrgPath");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("KioskCredentials");
        migrationBuilder.DropTable("ConsultationOffers");
        migrationBuilder.DropTable("Consultations");
        migrationBuilder.DropTable("ExpertCategories");
        migrationBuilder.DropIndex("IX_Experts_UserId", "Experts");
        migrationBuilder.DropColumn("IdleSinceUtc", "Experts");
        migrationBuilder.DropColumn("PresenceStatus", "Experts");
        migrationBuilder.DropColumn("UserId", "Experts");
        migrationBuilder.DropColumn("RecordConsultations", "ServiceCategories");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Storage;

/// <summary>
/// The hub's database. Every <see cref="IOrgScoped"/> table carries a query filter bound to the caller's
/// <see cref="OrgScope"/>, and <see cref="SaveChangesAsync(bool, CancellationToken)"/> refuses writes outside
/// it — so the org-tree rule holds for every endpoint, including ones not written yet.
/// </summary>
public sealed class VideoLinkDbContext(DbContextOptions<VideoLinkDbContext> options, OrgScopeAccessor scopeAccessor)
    : DbContext(options)
{
    private readonly OrgScopeAccessor _scopeAccessor = scopeAccessor;

    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<ServiceCategory> ServiceCategories => Set<ServiceCategory>();
    public DbSet<SiteServiceCategory> SiteServiceCategories => Set<SiteServiceCategory>();
    public DbSet<SiteEndpoint> Endpoints => Set<SiteEndpoint>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Expert> Experts => Set<Expert>();
    public DbSet<DutyShift> DutyShifts => Set<DutyShift>();
    public DbSet<User> Users => Set<User>();
    public DbSet<SeedRun> SeedRuns => Set<SeedRun>();
    public DbSet<AgentEnrollment> AgentEnrollments => Set<AgentEnrollment>();
    public DbSet<EnrolledAgent> StationAgents => Set<EnrolledAgent>();
    public DbSet<CheckIn> CheckIns => Set<CheckIn>();
    public DbSet<Room> Rooms => Set<Room>();
    public DbSet<RoomLegInterval> RoomLegIntervals => Set<RoomLegInterval>();
    public DbSet<ExpertCategory> ExpertCategories => Set<ExpertCategory>();
    public DbSet<Consultation> Consultations => Set<Consultation>();
    public DbSet<ConsultationOffer> ConsultationOffers => Set<ConsultationOffer>();
    public DbSet<KioskCredential> KioskCredentials => Set<KioskCredential>();
    public DbSet<Booking> Bookings => Set<Booking>();
    public DbSet<BookingSite> BookingSites => Set<BookingSite>();
    public DbSet<BookingOccurrenceChange> BookingOccurrenceChanges => Set<BookingOccurrenceChange>();
    public DbSet<MeetingRun> MeetingRuns => Set<MeetingRun>();
    public DbSet<MeetingDial> MeetingDials => Set<MeetingDial>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<NoticeRecipient> NoticeRecipients => Set<NoticeRecipient>();

    /// <summary>Read by the query filters on every query (EF parameterises context members).</summary>
    private string ScopePrefix => _scopeAccessor.Current.FilterPrefix;

    public OrgScope Scope => _scopeAccessor.Current;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrgUnit>(e =>
        {
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.Code).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Site>(e =>
        {
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.Code).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Address).HasMaxLength(400);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Categories).WithOne().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ServiceCategory>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.NameEn).HasMaxLength(64);
            e.Property(x => x.Icon).HasMaxLength(64);
        });
        modelBuilder.Entity<SiteServiceCategory>(e =>
        {
            e.HasKey(x => new { x.SiteId, x.CategoryCode });
            e.Property(x => x.CategoryCode).HasMaxLength(32);
            e.HasOne<ServiceCategory>().WithMany().HasForeignKey(x => x.CategoryCode).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<SiteEndpoint>(e =>
        {
            e.HasIndex(x => x.SipUser).IsUnique();
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.SipUser).HasMaxLength(64);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.SipHa1Md5).HasMaxLength(32);
            e.Property(x => x.SipHa1Sha256).HasMaxLength(64);
            e.Property(x => x.SipRealm).HasMaxLength(128);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Device>(e =>
        {
            e.HasIndex(x => new { x.SiteId, x.Code }).IsUnique();
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.Code).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Driver).HasMaxLength(64);
            e.Property(x => x.Port).HasMaxLength(256);
            e.Property(x => x.Host).HasMaxLength(256);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Person>(e =>
        {
            e.HasIndex(x => x.IdNumberHash);
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.IdNumberHash).HasMaxLength(64);
            e.Property(x => x.IdNumberMasked).HasMaxLength(32);
            e.Property(x => x.PhoneMasked).HasMaxLength(32);
            e.Property(x => x.PhoneHash).HasMaxLength(64);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Expert>(e =>
        {
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.CategoryCode).HasMaxLength(32);
            e.Property(x => x.Title).HasMaxLength(100);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.StationSiteId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ServiceCategory>().WithMany().HasForeignKey(x => x.CategoryCode).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Duty).WithOne().HasForeignKey(x => x.ExpertId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.ExtraCategories).WithOne().HasForeignKey(x => x.ExpertId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.UserId).IsUnique();
            e.Property(x => x.PresenceStatus).HasMaxLength(16);
        });
        modelBuilder.Entity<ExpertCategory>(e =>
        {
            e.HasKey(x => new { x.ExpertId, x.CategoryCode });
            e.Property(x => x.CategoryCode).HasMaxLength(32);
            e.HasOne<ServiceCategory>().WithMany().HasForeignKey(x => x.CategoryCode).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<DutyShift>(e =>
        {
            e.Property(x => x.Day).HasConversion<string>().HasMaxLength(16);
        });
        modelBuilder.Entity<User>(e =>
        {
            e.HasIndex(x => x.Username).IsUnique();
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.Username).HasMaxLength(64);
            e.Property(x => x.PasswordHash).HasMaxLength(256);
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(32);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<SeedRun>(e =>
        {
            e.HasIndex(x => x.Sha256).IsUnique();
            e.Property(x => x.Name).HasMaxLength(260);
            e.Property(x => x.Sha256).HasMaxLength(64);
        });

        modelBuilder.Entity<AgentEnrollment>(e =>
        {
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<EnrolledAgent>(e =>
        {
            e.HasIndex(x => x.SiteId).IsUnique();
            e.Property(x => x.SecretHash).HasMaxLength(64);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<CheckIn>(e =>
        {
            e.HasIndex(x => new { x.SiteId, x.DeviceTimeUtc });
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.DeviceCode).HasMaxLength(64);
            e.Property(x => x.Method).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.PersonHash).HasMaxLength(64);
            e.Property(x => x.PersonMasked).HasMaxLength(64);
            e.Property(x => x.Detail).HasMaxLength(200);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Room>(e =>
        {
            e.HasIndex(x => x.SipNumber).IsUnique();
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.SipNumber).HasMaxLength(16);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.Property(x => x.PinHash).HasMaxLength(128);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<RoomLegInterval>(e =>
        {
            e.HasIndex(x => x.RoomId);
            e.HasIndex(x => x.SiteId);
            e.HasIndex(x => x.JoinedUtc);
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.LegKind).HasMaxLength(16);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.LeftReason).HasMaxLength(64);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Room>().WithMany().HasForeignKey(x => x.RoomId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Consultation>(e =>
        {
            e.HasIndex(x => x.Sequence).IsUnique();
            e.HasIndex(x => x.Status);
            e.HasIndex(x => x.RequestedUtc);
            e.HasIndex(x => x.SiteId);
            e.HasIndex(x => x.ExpertId);
            e.HasIndex(x => x.RoomId);
            e.HasIndex(x => x.OrgPath);
            e.HasIndex(x => x.StationOrgPath);
            e.Property(x => x.CategoryCode).HasMaxLength(32);
            e.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.PersonHash).HasMaxLength(64);
            e.Property(x => x.PersonMasked).HasMaxLength(64);
            e.Property(x => x.StationOrgPath).HasMaxLength(1024);
            e.Property(x => x.InvitedExpertIds).HasMaxLength(1000);
            e.Property(x => x.Notes).HasMaxLength(8000);
            e.Property(x => x.Rating).HasMaxLength(8);
            e.Property(x => x.RecordingRef).HasMaxLength(400);
            e.Property(x => x.CallbackNote).HasMaxLength(1000);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ServiceCategory>().WithMany().HasForeignKey(x => x.CategoryCode).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ConsultationOffer>(e =>
        {
            e.HasIndex(x => x.ConsultationId);
            e.HasIndex(x => new { x.ExpertId, x.OfferedUtc });
            e.Property(x => x.Response).HasConversion<string>().HasMaxLength(16);
            e.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<KioskCredential>(e =>
        {
            e.HasIndex(x => x.SiteId);
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.SecretHash).HasMaxLength(64);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Booking>(e =>
        {
            e.HasIndex(x => x.OrgPath);
            e.HasIndex(x => x.StartUtc);
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.TimeZone).HasMaxLength(64);
            e.Property(x => x.Recurrence).HasMaxLength(512);
            e.Property(x => x.LaunchMode).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrganizerOrgUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.MainVenueSiteId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Sites).WithOne().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Changes).WithOne().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<BookingSite>(e =>
        {
            e.HasKey(x => new { x.BookingId, x.SiteId });
            e.HasIndex(x => x.SiteId);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<BookingOccurrenceChange>(e =>
        {
            e.HasIndex(x => new { x.BookingId, x.OriginalStartUtc }).IsUnique();
        });
        modelBuilder.Entity<MeetingRun>(e =>
        {
            e.HasIndex(x => new { x.BookingId, x.OccurrenceStartUtc }).IsUnique();
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.Missed).HasMaxLength(200);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Booking>().WithMany().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<MeetingDial>(e =>
        {
            e.HasIndex(x => new { x.RunId, x.SiteId }).IsUnique();
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.LastOutcome).HasMaxLength(200);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<MeetingRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Notice>(e =>
        {
            e.HasIndex(x => x.OrgPath);
            e.HasIndex(x => x.BookingId);
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Body).HasMaxLength(4000);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.AttachmentName).HasMaxLength(200);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
        });
        modelBuilder.Entity<NoticeRecipient>(e =>
        {
            e.HasIndex(x => new { x.NoticeId, x.UserId }).IsUnique();
            e.HasIndex(x => x.UserId);
            e.HasIndex(x => x.OrgPath);
            e.Property(x => x.OrgPath).HasMaxLength(1024);
            e.HasOne<Notice>().WithMany().HasForeignKey(x => x.NoticeId).OnDelete(DeleteBehavior.Cascade);
        });

        // The org-tree rule, once, for every org-scoped table.
        modelBuilder.Entity<OrgUnit>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<Site>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<SiteEndpoint>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<Device>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<Person>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<Expert>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<User>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<AgentEnrollment>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<EnrolledAgent>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<CheckIn>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<Room>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<RoomLegInterval>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<KioskCredential>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        // A consultation belongs to two places: the requesting site and the answering station; both trees see it.
        modelBuilder.Entity<Consultation>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix) || (x.StationOrgPath != null && x.StationOrgPath.StartsWith(ScopePrefix)));
        modelBuilder.Entity<Booking>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<MeetingRun>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<MeetingDial>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<Notice>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
        modelBuilder.Entity<NoticeRecipient>().HasQueryFilter(x => x.OrgPath.StartsWith(ScopePrefix));
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardScope();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardScope();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Write side of the org-tree rule: nothing outside the caller's subtree is added, moved or removed.</summary>
    private void GuardScope()
    {
        var scope = Scope;
        if (scope.IsSystem)
        {
            return;
        }

        foreach (EntityEntry entry in ChangeTracker.Entries())
        {
            if (entry.Entity is IOrgScoped scoped && entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                var original = entry.State == EntityState.Added
                    ? scoped.OrgPath
                    : (string?)entry.OriginalValues[nameof(IOrgScoped.OrgPath)] ?? scoped.OrgPath;
                if (!scope.Covers(scoped.OrgPath) || !scope.Covers(original))
                {
                    throw new OrgScopeViolationException("The change touches data outside your organisation unit.");
                }
            }
        }
    }
}

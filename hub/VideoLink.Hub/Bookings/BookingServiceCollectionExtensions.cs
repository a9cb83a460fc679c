using Microsoft.Data.Sqlite;
using Quartz;
using VideoLink.Hub.Hosting;
using VideoLink.Hub.Notices;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Bookings;

public static class BookingServiceCollectionExtensions
{
    /// <summary>
    /// Bookings, notices and the Quartz scheduler on a persistent ADO job store in the hub's own database: SQLite
    /// (Microsoft.Data.Sqlite) by default, PostgreSQL (Npgsql) with clustering when the hub runs on PostgreSQL. The
    /// tables come from the <c>QuartzTables</c> migration; the store only validates them. The hosted service is added
    /// after the hub initializer, so the scheduler starts on a migrated database.
    /// </summary>
    public static IServiceCollection AddBookings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BookingOptions>().Bind(configuration.GetSection(BookingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NoticeService>();
        services.AddSingleton<VideoLink.Hub.Attendance.AttendanceReports>();
        services.AddSingleton<VideoLink.Hub.Supervision.SupervisionReports>();
        services.AddSingleton<IMeetingLauncher, ConferenceMeetingLauncher>();
        services.AddSingleton<MeetingConductor>();
        services.AddSingleton<BookingScheduler>();
        services.AddTransient<MeetingPhaseJob>();

        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var dataDirectory = Path.GetFullPath(configuration[$"{HubOptions.SectionName}:DataDirectory"] ?? HubOptions.DefaultDataDirectory);
        var bookings = configuration.GetSection(BookingOptions.SectionName).Get<BookingOptions>() ?? new BookingOptions();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "videolink";
                if (!string.IsNullOrWhiteSpace(bookings.InstanceId))
                {
                    s.InstanceId = bookings.InstanceId;
                }
            });
            q.UseDefaultThreadPool(4);
            q.UsePersistentStore(store =>
            {
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = QuartzSchema.TablePrefix;
                    o.MisfireThreshold = TimeSpan.FromSeconds(bookings.MisfireThresholdSeconds);
                    o.SchemaProvisioning = SchemaProvisioning.Validate;
                });
                if (storage.Provider == StorageProvider.PostgreSql)
                {
                    store.UsePostgres(storage.ConnectionString!);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(10);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                    });
                }
                else
                {
                    store.UseSqlite(QuartzSqliteConnectionString(storage, dataDirectory));
                }
            });
            q.AddJob<VideoLink.Hub.Supervision.SupervisionReportJob>(j => j.WithIdentity(VideoLink.Hub.Supervision.SupervisionReportJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(VideoLink.Hub.Supervision.SupervisionReportJob.Key).WithIdentity("supervision-monday", VideoLink.Hub.Supervision.SupervisionReportJob.Key.Group)
                .WithCronSchedule("0 0 7 ? * MON", c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(BookingCalendar.DefaultTimeZone)).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            q.AddJob<BookingRearmJob>(j => j.WithIdentity(BookingRearmJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(BookingRearmJob.Key).WithIdentity("rearm-daily", BookingRearmJob.Key.Group)
                .WithCronSchedule("0 0 2 * * ?", c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(BookingCalendar.DefaultTimeZone)).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = false;
            o.AwaitApplicationStarted = true;
        });
        return services;
    }

    private static string QuartzSqliteConnectionString(StorageOptions storage, string dataDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(StorageServiceCollectionExtensions.SqliteConnectionString(storage, dataDirectory))
        {
            DefaultTimeout = 30,
        };
        return builder.ToString();
    }
}

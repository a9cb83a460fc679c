using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Hosting;
using VideoLink.Hub.Security;

namespace VideoLink.Hub.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the database (SQLite by default, PostgreSQL by configuration) and the org scope.</summary>
    public static IServiceCollection AddVideoLinkStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                o => o.Provider != StorageProvider.PostgreSql || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Storage:ConnectionString is required when Storage:Provider is PostgreSql.")
            .ValidateOnStart();

        services.AddScoped<OrgScopeAccessor>();
        services.AddDbContext<VideoLinkDbContext>((sp, options) =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var hub = sp.GetRequiredService<IOptions<HubOptions>>().Value;
            Configure(options, storage, hub.DataDirectory);
            options.AddInterceptors(sp.GetRequiredService<VideoLink.Hub.SipAccounts.SipAccountChangeInterceptor>());
        });
        services.AddSingleton<VideoLink.Hub.SipAccounts.SipAccountCache>();
        services.AddSingleton<VideoLink.Hub.SipAccounts.SipAccountChangeInterceptor>();
        services.AddScoped<DatabaseMigrator>();
        return services;
    }

    internal static void Configure(DbContextOptionsBuilder options, StorageOptions storage, string dataDirectory)
    {
        switch (storage.Provider)
        {
            case StorageProvider.PostgreSql:
                options.UseNpgsql(storage.ConnectionString);
                break;
            default:
                options.UseSqlite(SqliteConnectionString(storage, dataDirectory));
                break;
        }

        // Migrations are written by hand to be provider-neutral (no design-time snapshot is generated here);
        // the schema is checked against the model by the storage tests instead.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    internal static string SqliteConnectionString(StorageOptions storage, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return storage.ConnectionString;
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, StorageOptions.DefaultSqliteFileName),
            Pooling = true,
            DefaultTimeout = 30,
        };
        return builder.ToString();
    }
}

using System.ComponentModel.DataAnnotations;

namespace VideoLink.Hub.Storage;

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Where the hub keeps its data. Bound from the "Storage" configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string DefaultSqliteFileName = "videolink.db";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The connection string. For SQLite it defaults to <c>Data Source={data}/videolink.db</c>; for PostgreSQL it is
    /// required, e.g. <c>Host=127.0.0.1;Database=videolink;Username=videolink;Password=…</c>.
    /// </summary>
    [MaxLength(2048)]
    public string? ConnectionString { get; set; }
}

using System.Text.RegularExpressions;

namespace VideoLink.Hub.Bookings;

/// <summary>
/// The Quartz job store's DDL for the hub's providers, read from the scripts the Quartz package embeds
/// (<c>Quartz.Impl.AdoJobStore.Schema.create_{sqlite,postgres}.sql</c>; statements separated by a line <c>--;;</c>,
/// <c>{0}</c> the table prefix, <c>{1}</c> the prefix for index names). Used by the <c>QuartzTables</c> migration.
/// </summary>
public static partial class QuartzSchema
{
    /// <summary>Every Quartz table starts with this (lower case so PostgreSQL needs no quoting).</summary>
    public const string TablePrefix = "qrtz_";

    public const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";
    public const string PostgreSqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static IReadOnlyList<string> Statements(string? efProvider)
    {
        var resource = efProvider switch
        {
            SqliteProvider => "Quartz.Impl.AdoJobStore.Schema.create_sqlite.sql",
            PostgreSqlProvider => "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql",
            _ => throw new NotSupportedException($"No Quartz schema for provider {efProvider}."),
        };
        using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The Quartz package no longer embeds {resource}.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        return script.Split("\n--;;", StringSplitOptions.None)
            .Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(s => s.Length > 0)
            .ToList();
    }

    /// <summary>The tables the script creates, last first (for dropping).</summary>
    public static IReadOnlyList<string> Tables(string? efProvider) =>
        Statements(efProvider).Select(s => CreateTable().Match(s)).Where(m => m.Success).Select(m => m.Groups[1].Value).Reverse().ToList();

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS (\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();
}

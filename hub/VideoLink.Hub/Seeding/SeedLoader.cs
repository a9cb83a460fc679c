using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Security;
using VideoLink.Hub.SipAccounts;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Seeding;

/// <summary>
/// Loads a district seed file: parse strictly, check every reference, then insert in one transaction. A file
/// already loaded (same content hash) is skipped; rows that already exist (same code) are left as the operators
/// edited them. A bad file is refused whole, with the file, the place and the problem in the message.
/// </summary>
public sealed partial class SeedLoader(VideoLinkDbContext db, PersonalData personalData, SipCredentialFactory sipCredentials, ILogger<SeedLoader> logger)
{
    public const int MaxSeedBytes = 32 * 1024 * 1024;

    public static SeedDocument Parse(string fileName, byte[] content)
    {
        if (content.Length > MaxSeedBytes)
        {
            throw new SeedException($"{fileName}: the file is larger than {MaxSeedBytes / (1024 * 1024)} MiB.");
        }

        SeedDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(content, SeedJson.Default.SeedDocument);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is long l ? $" line {l + 1}" : "";
            var position = ex.BytePositionInLine is long p ? $" column {p + 1}" : "";
            throw new SeedException($"{fileName}:{line}{position} at {ex.Path ?? "$"}: {ex.Message.Split(" Path:")[0]}");
        }

        if (doc is null)
        {
            throw new SeedException($"{fileName}: the file is empty (null).");
        }

        var problems = SeedValidator.Validate(doc);
        if (problems.Count > 0)
        {
            throw new SeedException($"{fileName}: {problems.Count} problem(s): " + string.Join("; ", problems.Take(20)));
        }

        return doc;
    }

    /// <summary>Loads the file unless this exact content was loaded before. Returns true when rows were written.</summary>
    public async Task<bool> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new SeedException($"{path}: the seed file does not exist.");
        }

        var content = await File.ReadAllBytesAsync(path, cancellationToken);
        var doc = Parse(path, content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (await db.SeedRuns.AnyAsync(r => r.Sha256 == sha, cancellationToken))
        {
            LogAlreadyLoaded(logger, Path.GetFileName(path));
            return false;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await ApplyAsync(doc, ct);
            db.SeedRuns.Add(new SeedRun { Id = Guid.NewGuid(), Name = Path.GetFileName(path), Sha256 = sha, AppliedUtc = DateTime.UtcNow });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }, cancellationToken);
        db.ChangeTracker.Clear();
        LogLoaded(logger, Path.GetFileName(path), doc.OrgUnits.Count, doc.Sites.Count, doc.Sample);
        return true;
    }

    private async Task ApplyAsync(SeedDocument doc, CancellationToken ct)
    {
        var existingCategories = await db.ServiceCategories.Select(c => c.Code).ToHashSetAsync(ct);
        var order = 0;
        foreach (var c in doc.Categories)
        {
            order++;
            if (!existingCategories.Contains(c.Code))
            {
                db.ServiceCategories.Add(new ServiceCategory { Code = c.Code, Name = c.Name, NameEn = c.NameEn, Icon = c.Icon, SortOrder = order });
            }
        }

        var units = await db.OrgUnits.IgnoreQueryFilters().ToDictionaryAsync(u => u.Code, ct);
        foreach (var u in SeedValidator.ParentsFirst(doc.OrgUnits))
        {
            if (units.ContainsKey(u.Code))
            {
                continue;
            }

            var id = StableIds.For("org", u.Code);
            OrgUnit? parent = u.Parent is null ? null : units[u.Parent];
            var unit = new OrgUnit
            {
                Id = id,
                ParentId = parent?.Id,
                Code = u.Code,
                Name = u.Name,
                Kind = u.Kind,
                Depth = parent is null ? 0 : parent.Depth + 1,
                OrgPath = OrgPaths.Child(parent?.OrgPath, id),
            };
            units[u.Code] = unit;
            db.OrgUnits.Add(unit);
        }

        var sites = await db.Sites.IgnoreQueryFilters().ToDictionaryAsync(s => s.Code, ct);
        foreach (var s in doc.Sites)
        {
            if (sites.ContainsKey(s.Code))
            {
                continue;
            }

            var unit = units[s.OrgUnit];
            var site = new Site
            {
                Id = StableIds.For("site", s.Code),
                OrgUnitId = unit.Id,
                Code = s.Code,
                Name = s.Name,
                Kind = s.Kind,
                Address = s.Address,
                OrgPath = unit.OrgPath,
            };
            site.Categories.AddRange(s.Categories.Select(c => new SiteServiceCategory { SiteId = site.Id, CategoryCode = c }));
            sites[s.Code] = site;
            db.Sites.Add(site);
        }

        var people = await db.People.IgnoreQueryFilters().Select(p => p.Id).ToHashSetAsync(ct);
        var personPaths = new Dictionary<string, (Guid Id, string Path)>(StringComparer.Ordinal);
        foreach (var p in doc.People)
        {
            var unit = units[p.OrgUnit];
            var id = StableIds.For("person", p.Code);
            personPaths[p.Code] = (id, unit.OrgPath);
            if (people.Contains(id))
            {
                continue;
            }

            db.People.Add(new Person
            {
                Id = id,
                OrgUnitId = unit.Id,
                Name = p.Name,
                IdNumberHash = p.IdNumber is null ? null : personalData.HashIdNumber(p.IdNumber),
                IdNumberMasked = p.IdNumber is null ? null : PersonalData.MaskIdNumber(p.IdNumber),
                PhoneHash = p.Phone is null ? null : personalData.Hash(p.Phone),
                PhoneMasked = p.Phone is null ? null : PersonalData.MaskPhone(p.Phone),
                OrgPath = unit.OrgPath,
            });
        }

        var experts = await db.Experts.IgnoreQueryFilters().Select(e => e.Id).ToHashSetAsync(ct);
        foreach (var e in doc.Experts)
        {
            var id = StableIds.For("expert", e.Code);
            if (experts.Contains(id))
            {
                continue;
            }

            var station = sites[e.Station];
            var expert = new Expert
            {
                Id = id,
                PersonId = personPaths[e.Person].Id,
                StationSiteId = station.Id,
                CategoryCode = e.Category,
                Title = e.Title,
                OrgPath = station.OrgPath,
            };
            expert.Duty.AddRange(e.Duty.Select((d, i) => new DutyShift { Id = StableIds.For("duty", e.Code + "#" + i), ExpertId = id, Day = d.Day, Start = d.Start, End = d.End }));
            db.Experts.Add(expert);
        }

        var sipUsers = await db.Endpoints.IgnoreQueryFilters().Where(x => x.SipUser != null).Select(x => x.SipUser!).ToHashSetAsync(ct);
        var endpointIds = await db.Endpoints.IgnoreQueryFilters().Select(x => x.Id).ToHashSetAsync(ct);
        var webIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var ep in doc.Endpoints)
        {
            var site = sites[ep.Site];
            Guid id;
            if (ep.Kind == EndpointKind.Sip)
            {
                if (sipUsers.Contains(ep.SipUser!))
                {
                    continue;
                }

                id = StableIds.For("endpoint", "sip:" + ep.SipUser);
            }
            else
            {
                var n = webIndex[ep.Site] = webIndex.GetValueOrDefault(ep.Site) + 1;
                id = StableIds.For("endpoint", "web:" + ep.Site + "#" + n);
                if (endpointIds.Contains(id))
                {
                    continue;
                }
            }

            var endpoint = new SiteEndpoint { Id = id, SiteId = site.Id, Kind = ep.Kind, SipUser = ep.SipUser, DisplayName = ep.DisplayName, OrgPath = site.OrgPath };
            if (ep.Kind == EndpointKind.Sip && ep.Password is not null)
            {
                sipCredentials.SetPassword(endpoint, ep.Password);
            }

            db.Endpoints.Add(endpoint);
        }

        var deviceIds = await db.Devices.IgnoreQueryFilters().Select(d => d.Id).ToHashSetAsync(ct);
        foreach (var d in doc.Devices)
        {
            var site = sites[d.Site];
            var id = StableIds.For("device", d.Site + "/" + d.Code);
            if (deviceIds.Contains(id))
            {
                continue;
            }

            db.Devices.Add(new Device
            {
                Id = id,
                SiteId = site.Id,
                Code = d.Code,
                Name = d.Name,
                Kind = d.Kind,
                Driver = d.Driver,
                Port = d.Port,
                Host = d.Host,
                Address = d.Address,
                OptionsJson = d.Options?.GetRawText(),
                OrgPath = site.OrgPath,
            });
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Seed {File} already loaded; skipped")]
    private static partial void LogAlreadyLoaded(ILogger logger, string file);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Seed {File} loaded: {OrgUnits} org units, {Sites} sites (sample: {Sample})")]
    private static partial void LogLoaded(ILogger logger, string file, int orgUnits, int sites, bool sample);
}

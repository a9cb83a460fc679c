using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

public sealed record SiteView(Guid Id, string Code, string Name, SiteKind Kind, Guid OrgUnitId, string? Address, IReadOnlyList<string> Categories, bool Online);

public sealed record SiteRequest(string? Code, string? Name, SiteKind? Kind, Guid? OrgUnitId, string? Address, List<string>? Categories);

internal static class SitesApi
{
    public static RouteGroupBuilder MapSitesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/sites").WithTags("Sites");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.DirectoryWrite);
        return api;
    }

    /// <summary><c>?kind=ExpertStation</c> and/or <c>?orgUnitId=</c> (that unit and everything below it).</summary>
    private static async Task<IResult> ListAsync(VideoLinkDbContext db, Presence presence, SiteKind? kind, Guid? orgUnitId, CancellationToken ct)
    {
        var query = db.Sites.AsNoTracking().Include(s => s.Categories).AsQueryable();
        if (kind is { } k)
        {
            query = query.Where(s => s.Kind == k);
        }

        if (orgUnitId is { } unitId)
        {
            var unit = await db.VisibleUnitAsync(unitId, ct);
            if (unit is null)
            {
                return ApiProblems.NotFound("The org unit");
            }

            query = query.Where(s => s.OrgPath.StartsWith(unit.OrgPath));
        }

        var sites = await query.OrderBy(s => s.Code).ToListAsync(ct);
        return TypedResults.Ok(sites.Select(s => View(s, presence)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, Presence presence, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking().Include(s => s.Categories).FirstOrDefaultAsync(s => s.Id == id, ct);
        return site is null ? ApiProblems.NotFound("The site") : TypedResults.Ok(View(site, presence));
    }

    private static async Task<IResult> CreateAsync(SiteRequest request, VideoLinkDbContext db, Presence presence, CancellationToken ct)
    {
        var check = Validate(request, creating: true);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var unit = await db.VisibleUnitAsync(request.OrgUnitId, ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The org unit");
        }

        if (await db.Sites.IgnoreQueryFilters().AnyAsync(s => s.Code == request.Code, ct))
        {
            return ApiProblems.Conflict($"The code '{request.Code}' is taken.");
        }

        var problem = await CheckCategoriesAsync(db, request.Kind!.Value, request.Categories, ct);
        if (problem is not null)
        {
            return problem;
        }

        var site = new Site
        {
            Id = Guid.NewGuid(),
            OrgUnitId = unit.Id,
            Code = request.Code!,
            Name = request.Name!,
            Kind = request.Kind.Value,
            Address = request.Address,
            OrgPath = unit.OrgPath,
        };
        site.Categories.AddRange((request.Categories ?? []).Distinct(StringComparer.Ordinal).Select(c => new SiteServiceCategory { SiteId = site.Id, CategoryCode = c }));
        db.Sites.Add(site);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/sites/{site.Id}", View(site, presence));
    }

    private static async Task<IResult> UpdateAsync(Guid id, SiteRequest request, VideoLinkDbContext db, Presence presence, CancellationToken ct)
    {
        var site = await db.Sites.Include(s => s.Categories).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        var check = Validate(request, creating: false);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (request.OrgUnitId is { } unitId && unitId != site.OrgUnitId)
        {
            var unit = await db.VisibleUnitAsync(unitId, ct);
            if (unit is null)
            {
                return ApiProblems.NotFound("The org unit");
            }

            site.OrgUnitId = unit.Id;
            site.OrgPath = unit.OrgPath;
            // Rows that hang off the site follow it through the tree.
            await db.Endpoints.Where(e => e.SiteId == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.OrgPath, unit.OrgPath), ct);
            await db.Devices.Where(e => e.SiteId == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.OrgPath, unit.OrgPath), ct);
            await db.Experts.Where(e => e.StationSiteId == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.OrgPath, unit.OrgPath), ct);
        }

        site.Name = string.IsNullOrWhiteSpace(request.Name) ? site.Name : request.Name;
        site.Kind = request.Kind ?? site.Kind;
        site.Address = request.Address ?? site.Address;
        if (request.Categories is not null)
        {
            var problem = await CheckCategoriesAsync(db, site.Kind, request.Categories, ct);
            if (problem is not null)
            {
                return problem;
            }

            site.Categories.Clear();
            site.Categories.AddRange(request.Categories.Distinct(StringComparer.Ordinal).Select(c => new SiteServiceCategory { SiteId = site.Id, CategoryCode = c }));
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(site, presence));
    }

    private static Task<IResult> DeleteAsync(Guid id, VideoLinkDbContext db, CancellationToken ct) =>
        DirectoryRows.DeleteAsync<Site>(db, id, "The site", ct);

    private static Validation Validate(SiteRequest r, bool creating) => new Validation()
        .Text(r.Code, "code", 64, required: creating)
        .Require(r.Code is null || Seeding.SeedValidator.CodePattern().IsMatch(r.Code), "code", "letters, digits, '.', '_' or '-'")
        .Text(r.Name, "name", 200, required: creating)
        .Text(r.Address, "address", 400, required: false)
        .Require(!creating || r.Kind is not null, "kind", "is required")
        .Require(!creating || r.OrgUnitId is not null, "orgUnitId", "is required")
        .Require(r.Categories is null || r.Categories.Count <= 20, "categories", "at most 20");

    private static async Task<IResult?> CheckCategoriesAsync(VideoLinkDbContext db, SiteKind kind, List<string>? categories, CancellationToken ct)
    {
        var wanted = (categories ?? []).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.ServiceCategories.Where(c => wanted.Contains(c.Code)).CountAsync(ct);
        var check = new Validation()
            .Require(known == wanted.Count, "categories", "contains an unknown category code (see GET /api/consultations/categories)")
            .Require(kind != SiteKind.ExpertStation || wanted.Count > 0, "categories", "an expert station serves at least one category");
        return check.IsValid ? null : check.Problem();
    }

    private static SiteView View(Site s, Presence presence) =>
        new(s.Id, s.Code, s.Name, s.Kind, s.OrgUnitId, s.Address, s.Categories.Select(c => c.CategoryCode).Order(StringComparer.Ordinal).ToList(), presence.IsSiteOnline(s.Id));
}

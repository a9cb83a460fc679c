using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

public sealed record OrgUnitView(Guid Id, Guid? ParentId, string Code, string Name, OrgUnitKind Kind, int Depth)
{
    public static OrgUnitView From(OrgUnit u) => new(u.Id, u.ParentId, u.Code, u.Name, u.Kind, u.Depth);
}

public sealed record OrgUnitNode(Guid Id, string Code, string Name, OrgUnitKind Kind, List<OrgUnitNode> Children);

public sealed record CreateOrgUnitRequest(Guid? ParentId, string? Code, string? Name, OrgUnitKind? Kind);

public sealed record UpdateOrgUnitRequest(string? Name, OrgUnitKind? Kind);

internal static class OrgUnitsApi
{
    public static RouteGroupBuilder MapOrgUnitsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/org-units").WithTags("Organisation");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/tree", TreeAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.DirectoryWrite);
        return api;
    }

    private static async Task<IResult> ListAsync(VideoLinkDbContext db, OrgUnitKind? kind, CancellationToken ct)
    {
        var query = db.OrgUnits.AsNoTracking();
        if (kind is { } k)
        {
            query = query.Where(u => u.Kind == k);
        }

        var units = await query.OrderBy(u => u.Depth).ThenBy(u => u.Code).ToListAsync(ct);
        return TypedResults.Ok(units.Select(OrgUnitView.From).ToList());
    }

    /// <summary>The caller's part of the tree: their own unit as the root, everything below nested.</summary>
    private static async Task<IResult> TreeAsync(VideoLinkDbContext db, CancellationToken ct)
    {
        var units = await db.OrgUnits.AsNoTracking().OrderBy(u => u.Depth).ThenBy(u => u.Code).ToListAsync(ct);
        var nodes = units.ToDictionary(u => u.Id, u => new OrgUnitNode(u.Id, u.Code, u.Name, u.Kind, []));
        var roots = new List<OrgUnitNode>();
        foreach (var u in units)
        {
            if (u.ParentId is { } parent && nodes.TryGetValue(parent, out var p))
            {
                p.Children.Add(nodes[u.Id]);
            }
            else
            {
                roots.Add(nodes[u.Id]);
            }
        }

        return TypedResults.Ok(roots);
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        var unit = await db.VisibleUnitAsync(id, ct);
        return unit is null ? ApiProblems.NotFound("The org unit") : TypedResults.Ok(OrgUnitView.From(unit));
    }

    private static async Task<IResult> CreateAsync(CreateOrgUnitRequest request, VideoLinkDbContext db, CancellationToken ct)
    {
        var check = new Validation()
            .Require(request.ParentId is not null, "parentId", "is required (new units go below an existing one)")
            .Text(request.Code, "code", 64)
            .Require(request.Code is null || Seeding.SeedValidator.CodePattern().IsMatch(request.Code), "code", "letters, digits, '.', '_' or '-'")
            .Text(request.Name, "name", 200)
            .Require(request.Kind is not null, "kind", "is required");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var parent = await db.VisibleUnitAsync(request.ParentId, ct);
        if (parent is null)
        {
            return ApiProblems.NotFound("The parent org unit");
        }

        if (await db.OrgUnits.IgnoreQueryFilters().AnyAsync(u => u.Code == request.Code, ct))
        {
            return ApiProblems.Conflict($"The code '{request.Code}' is taken.");
        }

        var id = Guid.NewGuid();
        var unit = new OrgUnit
        {
            Id = id,
            ParentId = parent.Id,
            Code = request.Code!,
            Name = request.Name!,
            Kind = request.Kind!.Value,
            Depth = parent.Depth + 1,
            OrgPath = OrgPaths.Child(parent.OrgPath, id),
        };
        db.OrgUnits.Add(unit);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/org-units/{id}", OrgUnitView.From(unit));
    }

    private static async Task<IResult> UpdateAsync(Guid id, UpdateOrgUnitRequest request, VideoLinkDbContext db, CancellationToken ct)
    {
        var unit = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The org unit");
        }

        var check = new Validation().Text(request.Name, "name", 200, required: false);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (!string.IsNullOrWhiteSpace(request.Name))
        {
            unit.Name = request.Name;
        }

        if (request.Kind is { } kind)
        {
            unit.Kind = kind;
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(OrgUnitView.From(unit));
    }

    private static async Task<IResult> DeleteAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        var unit = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The org unit");
        }

        if (unit.OrgPath == db.Scope.OrgPath)
        {
            return ApiProblems.Forbidden("You cannot delete your own org unit.");
        }

        var inUse = await db.OrgUnits.IgnoreQueryFilters().AnyAsync(u => u.ParentId == id, ct)
            || await db.Sites.IgnoreQueryFilters().AnyAsync(s => s.OrgUnitId == id, ct)
            || await db.Users.IgnoreQueryFilters().AnyAsync(u => u.OrgUnitId == id, ct)
            || await db.People.IgnoreQueryFilters().AnyAsync(p => p.OrgUnitId == id, ct);
        if (inUse)
        {
            return ApiProblems.Conflict("The org unit still has units, sites, users or people below it.");
        }

        db.OrgUnits.Remove(unit);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}

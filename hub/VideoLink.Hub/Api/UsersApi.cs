using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

public sealed record UserView(Guid Id, string Username, string DisplayName, Role Role, Guid OrgUnitId, string? OrgUnitName, bool Locked)
{
    public static UserView From(User u, string? orgUnitName) =>
        new(u.Id, u.Username, u.DisplayName, u.Role, u.OrgUnitId, orgUnitName, u.LockedUntilUtc > DateTime.UtcNow);
}

public sealed record CreateUserRequest(string? Username, string? Password, string? DisplayName, Role? Role, Guid? OrgUnitId);

public sealed record UpdateUserRequest(string? DisplayName, Role? Role, Guid? OrgUnitId, string? Password, bool? Unlock);

internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users");
        group.MapGet("/me", MeAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.UserAdmin);
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.UserAdmin);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.UserAdmin);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.UserAdmin);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.UserAdmin);
        return api;
    }

    private static async Task<IResult> MeAsync(ClaimsPrincipal principal, VideoLinkDbContext db, CancellationToken ct)
    {
        var id = Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return ApiProblems.NotFound("The user");
        }

        var unit = await db.OrgUnits.AsNoTracking().Where(u => u.Id == user.OrgUnitId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(UserView.From(user, unit));
    }

    private static async Task<IResult> ListAsync(VideoLinkDbContext db, Guid? orgUnitId, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (orgUnitId is { } unitId)
        {
            var unit = await db.VisibleUnitAsync(unitId, ct);
            if (unit is null)
            {
                return ApiProblems.NotFound("The org unit");
            }

            query = query.Where(u => u.OrgPath.StartsWith(unit.OrgPath));
        }

        var units = db.OrgUnits.AsNoTracking();
        var rows = await query.OrderBy(u => u.Username)
            .Select(u => new { User = u, Unit = units.Where(o => o.Id == u.OrgUnitId).Select(o => o.Name).FirstOrDefault() })
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => UserView.From(r.User, r.Unit)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? ApiProblems.NotFound("The user") : TypedResults.Ok(UserView.From(user, null));
    }

    private static async Task<IResult> CreateAsync(
        CreateUserRequest request, VideoLinkDbContext db, IPasswordHasher<User> hasher, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        var check = new Validation()
            .Text(request.Username, "username", 64)
            .Require(request.Username is null || Seeding.SeedValidator.CodePattern().IsMatch(request.Username), "username", "letters, digits, '.', '_' or '-'")
            .Text(request.DisplayName, "displayName", 100)
            .Require(request.Password is { } p && p.Length >= auth.Value.MinimumPasswordLength && p.Length <= 256, "password", $"{auth.Value.MinimumPasswordLength} to 256 characters")
            .Require(request.Role is not null, "role", "is required")
            .Require(request.OrgUnitId is not null, "orgUnitId", "is required");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (!Policies.MayGrant(db.Scope.Role ?? Role.Member, request.Role!.Value) && !db.Scope.IsSystem)
        {
            return ApiProblems.Forbidden($"You cannot grant the role {request.Role}.");
        }

        var unit = await db.VisibleUnitAsync(request.OrgUnitId, ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The org unit");
        }

        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Username == request.Username, ct))
        {
            return ApiProblems.Conflict($"The username '{request.Username}' is taken.");
        }

        var user = new User
        {
            Id = Guid.NewGuid(),
            Username = request.Username!,
            PasswordHash = "",
            DisplayName = request.DisplayName!,
            Role = request.Role.Value,
            OrgUnitId = unit.Id,
            OrgPath = unit.OrgPath,
            CreatedUtc = DateTime.UtcNow,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/users/{user.Id}", UserView.From(user, unit.Name));
    }

    private static async Task<IResult> UpdateAsync(
        Guid id, UpdateUserRequest request, VideoLinkDbContext db, IPasswordHasher<User> hasher, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return ApiProblems.NotFound("The user");
        }

        var myRole = db.Scope.Role ?? Role.Member;
        if (!Policies.MayGrant(myRole, user.Role))
        {
            return ApiProblems.Forbidden("You cannot change a user with a higher role than yours.");
        }

        var check = new Validation()
            .Text(request.DisplayName, "displayName", 100, required: false)
            .Require(request.Password is null || (request.Password.Length >= auth.Value.MinimumPasswordLength && request.Password.Length <= 256), "password", $"{auth.Value.MinimumPasswordLength} to 256 characters");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (request.Role is { } role)
        {
            if (!Policies.MayGrant(myRole, role))
            {
                return ApiProblems.Forbidden($"You cannot grant the role {role}.");
            }

            user.Role = role;
        }

        if (request.OrgUnitId is { } unitId)
        {
            var unit = await db.VisibleUnitAsync(unitId, ct);
            if (unit is null)
            {
                return ApiProblems.NotFound("The org unit");
            }

            user.OrgUnitId = unit.Id;
            user.OrgPath = unit.OrgPath;
        }

        if (!string.IsNullOrWhiteSpace(request.DisplayName))
        {
            user.DisplayName = request.DisplayName;
        }

        if (request.Password is not null)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password);
        }

        if (request.Unlock == true)
        {
            user.LockedUntilUtc = null;
            user.FailedLogins = 0;
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(UserView.From(user, null));
    }

    private static async Task<IResult> DeleteAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return ApiProblems.NotFound("The user");
        }

        if (user.Id == db.Scope.UserId)
        {
            return ApiProblems.Conflict("You cannot delete your own account.");
        }

        if (!Policies.MayGrant(db.Scope.Role ?? Role.Member, user.Role))
        {
            return ApiProblems.Forbidden("You cannot delete a user with a higher role than yours.");
        }

        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}

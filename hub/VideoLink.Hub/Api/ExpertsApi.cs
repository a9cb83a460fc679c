using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Consultations;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

public sealed record CreateExpertRequest(string? Username, string? Password, string? DisplayName, Guid? SiteId, List<string>? Categories, string? Title);

public sealed record PresenceRequest(string? Status);

/// <summary>Another expert as a colleague sees them: whom to transfer a call to or invite as a specialist.</summary>
public sealed record ColleagueView(Guid Id, string Name, IReadOnlyList<string> Categories, string Presence, bool Free);

public sealed record ExpertSelfView(Guid Id, Guid? UserId, string Name, Guid StationSiteId, IReadOnlyList<string> Categories, string Presence, bool OnDuty, Guid? OfferFor, Guid? CallFor);

/// <summary>Expert logins (admin) and the expert app's own endpoints: presence and offers.</summary>
internal static class ExpertsApi
{
    public static RouteGroupBuilder MapExpertsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/experts").WithTags("Consultations");
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapGet("/me", MeAsync).RequireAuthorization(Policies.ExpertSelf);
        group.MapPut("/me/presence", PresenceAsync).RequireAuthorization(Policies.ExpertSelf);
        group.MapGet("/me/offers", OffersAsync).RequireAuthorization(Policies.ExpertSelf);
        group.MapGet("/me/colleagues", ColleaguesAsync).RequireAuthorization(Policies.ExpertSelf);
        return api;
    }

    /// <summary>The expert row of the calling user, if they are one.</summary>
    public static ExpertSnapshot? Me(ClaimsPrincipal user, ExpertBoard board) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? board.FindByUser(id) : null;

    private static async Task<IResult> CreateAsync(
        CreateExpertRequest request, VideoLinkDbContext db, IPasswordHasher<User> hasher, IOptions<AuthOptions> auth, ExpertBoard board, CancellationToken ct)
    {
        var categories = (request.Categories ?? []).Distinct(StringComparer.Ordinal).ToList();
        var check = new Validation()
            .Text(request.Username, "username", 64, required: false)
            .Require(request.Username is null || Seeding.SeedValidator.CodePattern().IsMatch(request.Username), "username", "letters, digits, '.', '_' or '-'")
            .Require((request.Username is null) == (request.Password is null), "password", "give a username and a password for an expert who logs in, or neither for a roster-only expert reached on the station's SIP phone")
            .Text(request.DisplayName, "displayName", 100)
            .Text(request.Title, "title", 100, required: false)
            .Require(request.Password is null || request.Password.Length >= auth.Value.MinimumPasswordLength && request.Password.Length <= 256, "password", $"{auth.Value.MinimumPasswordLength} to 256 characters")
            .Require(request.SiteId is not null, "siteId", "is required")
            .Require(categories.Count is > 0 and <= 10, "categories", "one to ten category codes");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var site = await db.Sites.AsNoTracking().Include(s => s.Categories).FirstOrDefaultAsync(s => s.Id == request.SiteId, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        var served = site.Categories.Select(c => c.CategoryCode).ToHashSet(StringComparer.Ordinal);
        check = new Validation()
            .Require(site.Kind == SiteKind.ExpertStation, "siteId", "must be an expert station (服务面对面站点)")
            .Require(categories.All(served.Contains), "categories", "every category must be one the station serves: " + string.Join(", ", served.Order(StringComparer.Ordinal)));
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (request.Username is not null && await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Username == request.Username, ct))
        {
            return ApiProblems.Conflict($"The username '{request.Username}' is taken.");
        }

        var person = new Person { Id = Guid.NewGuid(), OrgUnitId = site.OrgUnitId, Name = request.DisplayName!, OrgPath = site.OrgPath };
        var user = request.Username is null ? null : new User
        {
            Id = Guid.NewGuid(),
            Username = request.Username!,
            PasswordHash = "",
            DisplayName = request.DisplayName!,
            Role = Role.Expert,
            OrgUnitId = site.OrgUnitId,
            PersonId = person.Id,
            OrgPath = site.OrgPath,
            CreatedUtc = DateTime.UtcNow,
        };
        if (user is not null)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password!);
            db.Users.Add(user);
        }

        var expert = new Expert
        {
            Id = Guid.NewGuid(),
            PersonId = person.Id,
            StationSiteId = site.Id,
            CategoryCode = categories[0],
            Title = request.Title,
            UserId = user?.Id,
            OrgPath = site.OrgPath,
        };
        expert.ExtraCategories.AddRange(categories.Skip(1).Select(c => new ExpertCategory { ExpertId = expert.Id, CategoryCode = c }));
        db.People.Add(person);
        db.Experts.Add(expert);
        await db.SaveChangesAsync(ct);
        board.Upsert(await ConsultationDispatcher.SeatAsync(db, expert, ct));
        return TypedResults.Created($"/api/experts/{expert.Id}", new ExpertView(expert.Id, person.Id, person.Name, site.Id, expert.CategoryCode, expert.Title, []) { Categories = categories, UserId = user?.Id });
    }

    private static IResult MeAsync(ClaimsPrincipal user, ExpertBoard board) =>
        Me(user, board) is { } me ? TypedResults.Ok(View(me)) : ApiProblems.NotFound("Your expert profile");

    private static async Task<IResult> PresenceAsync(PresenceRequest request, ClaimsPrincipal user, ExpertBoard board, VideoLinkDbContext db, TimeProvider clock, CancellationToken ct)
    {
        ExpertPresence presence = default;
        var check = new Validation().Require(
            request.Status is not null && Enum.TryParse(request.Status, ignoreCase: false, out presence) && presence is ExpertPresence.Available or ExpertPresence.Busy or ExpertPresence.Away,
            "status", "Available, Busy or Away");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (Me(user, board) is not { } me)
        {
            return ApiProblems.NotFound("Your expert profile");
        }

        var updated = board.SetPresence(me.Id, presence)!;
        // Persisted so a restarted hub routes to the same experts (the queues survive a restart too).
        await db.Experts.IgnoreQueryFilters().Where(e => e.Id == me.Id).ExecuteUpdateAsync(
            s => s.SetProperty(e => e.PresenceStatus, presence.ToString()).SetProperty(e => e.IdleSinceUtc, updated.IdleSinceUtc), ct);
        return TypedResults.Ok(View(updated));
    }

    private static async Task<IResult> OffersAsync(ClaimsPrincipal user, ExpertBoard board, ConsultationDispatcher dispatcher, CancellationToken ct)
    {
        if (Me(user, board) is not { } me)
        {
            return ApiProblems.NotFound("Your expert profile");
        }

        return TypedResults.Ok(await dispatcher.OffersForAsync(me.Id).WaitAsync(ct));
    }

    /// <summary>Every other expert on the board, free ones first, for the transfer and invite pickers.</summary>
    private static IResult ColleaguesAsync(ClaimsPrincipal user, ExpertBoard board)
    {
        if (Me(user, board) is not { } me)
        {
            return ApiProblems.NotFound("Your expert profile");
        }

        var colleagues = board.All().Where(e => e.Id != me.Id)
            .Select(e => new ColleagueView(e.Id, e.Name, e.Categories, e.Presence.ToString(), e.Presence == ExpertPresence.Available && e.OfferFor is null && e.CallFor is null))
            .OrderByDescending(c => c.Free).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(colleagues);
    }

    private static ExpertSelfView View(ExpertSnapshot e) =>
        new(e.Id, e.UserId, e.Name, e.StationSiteId, e.Categories, e.Presence.ToString(), e.OnDuty, e.OfferFor, e.CallFor);
}

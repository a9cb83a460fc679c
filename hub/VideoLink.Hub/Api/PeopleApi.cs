using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

/// <summary>A person as the API shows them: ID and phone numbers only masked.</summary>
public sealed record PersonView(Guid Id, string Name, Guid OrgUnitId, string? IdNumberMasked, string? PhoneMasked, Guid? DutySiteId, int? DutyDaysPerWeek, string? DutyStart)
{
    public static PersonView From(Person p) => new(p.Id, p.Name, p.OrgUnitId, p.IdNumberMasked, p.PhoneMasked, p.DutySiteId, p.DutyDaysPerWeek,
        p.DutyStart?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary><c>dutyDaysPerWeek</c> 0 clears the duty; <c>dutyStart</c> is "HH:mm" local time of the station.</summary>
public sealed record PersonRequest(string? Name, Guid? OrgUnitId, string? IdNumber, string? Phone, Guid? DutySiteId = null, int? DutyDaysPerWeek = null, string? DutyStart = null);

internal static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/people").WithTags("People");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.DirectoryWrite);
        return api;
    }

    private static async Task<IResult> ListAsync(VideoLinkDbContext db, Guid? orgUnitId, string? name, CancellationToken ct)
    {
        var query = db.People.AsNoTracking();
        if (orgUnitId is { } unitId)
        {
            var unit = await db.VisibleUnitAsync(unitId, ct);
            if (unit is null)
            {
                return ApiProblems.NotFound("The org unit");
            }

            query = query.Where(p => p.OrgPath.StartsWith(unit.OrgPath));
        }

        if (!string.IsNullOrWhiteSpace(name))
        {
            query = query.Where(p => p.Name.Contains(name));
        }

        var rows = await query.OrderBy(p => p.Name).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(PersonView.From).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        var p = await db.People.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return p is null ? ApiProblems.NotFound("The person") : TypedResults.Ok(PersonView.From(p));
    }

    private static async Task<IResult> CreateAsync(PersonRequest request, VideoLinkDbContext db, PersonalData personal, CancellationToken ct)
    {
        var check = Validate(request).Require(request.OrgUnitId is not null, "orgUnitId", "is required").Text(request.Name, "name", 100);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var unit = await db.VisibleUnitAsync(request.OrgUnitId, ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The org unit");
        }

        var person = new Person { Id = Guid.NewGuid(), Name = request.Name!, OrgUnitId = unit.Id, OrgPath = unit.OrgPath };
        Apply(person, request, personal);
        if (await ApplyDutyAsync(person, request, db, ct) is { } dutyProblem)
        {
            return dutyProblem;
        }

        db.People.Add(person);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/people/{person.Id}", PersonView.From(person));
    }

    private static async Task<IResult> UpdateAsync(Guid id, PersonRequest request, VideoLinkDbContext db, PersonalData personal, CancellationToken ct)
    {
        var person = await db.People.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (person is null)
        {
            return ApiProblems.NotFound("The person");
        }

        var check = Validate(request).Text(request.Name, "name", 100, required: false);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (request.OrgUnitId is { } unitId && unitId != person.OrgUnitId)
        {
            var unit = await db.VisibleUnitAsync(unitId, ct);
            if (unit is null)
            {
                return ApiProblems.NotFound("The org unit");
            }

            person.OrgUnitId = unit.Id;
            person.OrgPath = unit.OrgPath;
        }

        person.Name = string.IsNullOrWhiteSpace(request.Name) ? person.Name : request.Name;
        Apply(person, request, personal);
        if (await ApplyDutyAsync(person, request, db, ct) is { } dutyProblem)
        {
            return dutyProblem;
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(PersonView.From(person));
    }

    private static Task<IResult> DeleteAsync(Guid id, VideoLinkDbContext db, CancellationToken ct) =>
        DirectoryRows.DeleteAsync<Person>(db, id, "The person", ct);

    private static Validation Validate(PersonRequest r) => new Validation()
        .Require(r.IdNumber is null || PersonalData.IsValidResidentId(r.IdNumber), "idNumber", "not a valid 18-character resident ID number")
        .Require(r.Phone is null || (r.Phone.Length is >= 5 and <= 20 && r.Phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-')), "phone", "5 to 20 digits");

    private static async Task<IResult?> ApplyDutyAsync(Person person, PersonRequest r, VideoLinkDbContext db, CancellationToken ct)
    {
        if (r.DutySiteId is null && r.DutyDaysPerWeek is null && r.DutyStart is null)
        {
            return null;
        }

        var check = new Validation().Require(r.DutyDaysPerWeek is null or (>= 0 and <= 7), "dutyDaysPerWeek", "0–7 (0 clears the duty)");
        TimeOnly start = default;
        check.Require(r.DutyStart is null || TimeOnly.TryParseExact(r.DutyStart, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out start), "dutyStart", "HH:mm");
        if (r.DutySiteId is { } siteId)
        {
            check.Require(await db.VisibleSiteAsync(siteId, ct) is not null, "dutySiteId", "unknown site");
        }

        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (r.DutyDaysPerWeek == 0)
        {
            person.DutySiteId = null;
            person.DutyDaysPerWeek = null;
            person.DutyStart = null;
            return null;
        }

        person.DutySiteId = r.DutySiteId ?? person.DutySiteId;
        person.DutyDaysPerWeek = r.DutyDaysPerWeek ?? person.DutyDaysPerWeek ?? 1;
        person.DutyStart = r.DutyStart is null ? person.DutyStart : start;
        return person.DutySiteId is null ? new Validation().Require(false, "dutySiteId", "is required for a duty").Problem() : null;
    }

    /// <summary>The raw numbers stop here: only the keyed hash and the masked form are kept.</summary>
    private static void Apply(Person person, PersonRequest r, PersonalData personal)
    {
        if (r.IdNumber is not null)
        {
            person.IdNumberHash = personal.HashIdNumber(r.IdNumber);
            person.IdNumberMasked = PersonalData.MaskIdNumber(r.IdNumber);
        }

        if (r.Phone is not null)
        {
            person.PhoneHash = personal.Hash(r.Phone);
            person.PhoneMasked = PersonalData.MaskPhone(r.Phone);
        }
    }
}

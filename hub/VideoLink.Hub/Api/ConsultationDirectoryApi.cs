using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Api;

public sealed record CategoryView(string Code, string Name, string? NameEn, string? Icon);

public sealed record DutyView(DayOfWeek Day, TimeOnly Start, TimeOnly End);

public sealed record ExpertView(Guid Id, Guid PersonId, string Name, Guid StationSiteId, string Category, string? Title, IReadOnlyList<DutyView> Duty)
{
    /// <summary>Every category served (the primary <see cref="Category"/> first).</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    public Guid? UserId { get; init; }

    /// <summary>Live presence: Available, Busy, Away or Offline.</summary>
    public string? Presence { get; init; }

    public bool? OnDuty { get; init; }
}

/// <summary>The parts of 服务面对面 that are directory data: service categories and experts with their duty rosters.</summary>
internal static class ConsultationDirectoryApi
{
    public static RouteGroupBuilder MapConsultationDirectoryApi(this RouteGroupBuilder api)
    {
        // Category names are public: the kiosk shows them before anyone has logged in.
        api.MapGet("/consultations/categories", CategoriesAsync).WithTags("Consultations").AllowAnonymous();
        api.MapGet("/experts", ExpertsAsync).WithTags("Consultations").RequireAuthorization(Policies.DirectoryRead);
        return api;
    }

    private static async Task<IResult> CategoriesAsync(VideoLinkDbContext db, CancellationToken ct)
    {
        var rows = await db.ServiceCategories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Code)
            .Select(c => new CategoryView(c.Code, c.Name, c.NameEn, c.Icon)).ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> ExpertsAsync(VideoLinkDbContext db, Consultations.ExpertBoard board, Guid? stationId, string? category, CancellationToken ct)
    {
        var query = db.Experts.AsNoTracking().Include(e => e.Duty).AsQueryable();
        if (stationId is { } s)
        {
            query = query.Where(e => e.StationSiteId == s);
        }

        if (!string.IsNullOrWhiteSpace(category))
        {
            query = query.Where(e => e.CategoryCode == category);
        }

        var people = db.People.AsNoTracking();
        var rows = await query.OrderBy(e => e.CategoryCode).ThenBy(e => e.Id)
            .Select(e => new { Expert = e, Name = people.Where(p => p.Id == e.PersonId).Select(p => p.Name).FirstOrDefault() })
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => View(r.Expert, r.Name, board.Find(r.Expert.Id))).ToList());
    }

    private static ExpertView View(Storage.Entities.Expert expert, string? name, Consultations.ExpertSnapshot? live) =>
        new(
            expert.Id, expert.PersonId, name ?? "", expert.StationSiteId, expert.CategoryCode, expert.Title,
            expert.Duty.OrderBy(d => d.Day).ThenBy(d => d.Start).Select(d => new DutyView(d.Day, d.Start, d.End)).ToList())
        {
            Categories = live?.Categories,
            UserId = expert.UserId,
            Presence = live?.Presence.ToString(),
            OnDuty = live?.OnDuty,
        };
}

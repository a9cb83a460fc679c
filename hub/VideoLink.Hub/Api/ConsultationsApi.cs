using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Consultations;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

public sealed record ConsultationRequest(Guid? SiteId, string? Category, string? IdNumber, string? IcCard);

public sealed record TransferRequest(string? Category, Guid? ExpertId);

public sealed record InviteRequest(Guid? ExpertId);

public sealed record NotesRequest(string? Text);

public sealed record RatingRequest(string? Rating);

public sealed record CallbackCloseRequest(string? Note);

public sealed record KioskTokenView(Guid Id, Guid SiteId, string Token);

/// <summary>Where a consultation comes from, as the expert's call view shows it: the villager's site and township.</summary>
public sealed record ConsultationSiteView(Guid Id, Guid SiteId, string SiteName, string? Township);

public sealed record ConsultationView(
    Guid Id, long Sequence, Guid SiteId, string Category, string Source, string Status, string? Outcome, string? PersonMasked,
    DateTime RequestedUtc, DateTime? OfferedUtc, DateTime? AnsweredUtc, DateTime? EndedUtc, double? WaitSeconds, double? TalkSeconds,
    Guid? ExpertId, Guid? StationSiteId, Guid? RoomId, IReadOnlyList<Guid> InvitedExpertIds, string? Notes, string? Rating,
    bool Recording, string? RecordingRef, DateTime? CallbackClosedUtc, string? CallbackNote, int? Position, int? EstimatedWaitSeconds)
{
    public static ConsultationView From(Consultation c, ConsultationUpdate? live = null) => new(
        c.Id, c.Sequence, c.SiteId, c.CategoryCode, c.Source.ToString(), live?.Status ?? c.Status.ToString(), c.Outcome?.ToString(), c.PersonMasked,
        Utc(c.RequestedUtc), Utc(c.OfferedUtc), Utc(c.AnsweredUtc), Utc(c.EndedUtc), ConsultationFigures.WaitSeconds(c), ConsultationFigures.TalkSeconds(c),
        c.ExpertId, c.StationSiteId, c.RoomId, ConsultationIds.Parse(c.InvitedExpertIds), c.Notes, c.Rating,
        c.Recording, c.RecordingRef, Utc(c.CallbackClosedUtc), c.CallbackNote, live?.Position, live?.EstimatedWaitSeconds);

    private static DateTime Utc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? d) => d is { } v ? Utc(v) : null;
}

/// <summary>
/// 服务面对面 consultations: a kiosk (or staff, or the desk call button through the agent) asks for an expert of a
/// category; experts accept, decline, transfer, invite and end; records and statistics follow the org-tree rule.
/// </summary>
internal static class ConsultationsApi
{
    public static readonly IReadOnlyList<string> Ratings = ["满意", "一般", "不满意"];

    public static RouteGroupBuilder MapConsultationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/consultations").WithTags("Consultations");
        group.MapPost("/", RequestAsync).RequireAuthorization(Policies.ConsultationRequest);
        group.MapGet("/", ConsultationRecords.ListAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/stats", ConsultationRecords.StatsAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/queues", ConsultationQueues.ListAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.Participant);
        group.MapGet("/{id:guid}/site", SiteAsync).RequireAuthorization(Policies.Participant);
        group.MapPost("/{id:guid}/cancel", CancelAsync).RequireAuthorization(Policies.ConsultationRequest);
        group.MapPost("/{id:guid}/accept", AcceptAsync).RequireAuthorization(Policies.ExpertSelf);
        group.MapPost("/{id:guid}/decline", DeclineAsync).RequireAuthorization(Policies.ExpertSelf);
        group.MapPost("/{id:guid}/end", EndAsync).RequireAuthorization(Policies.ConsultationParty);
        group.MapPost("/{id:guid}/transfer", TransferAsync).RequireAuthorization(Policies.ExpertSelf);
        group.MapPost("/{id:guid}/invite", InviteAsync).RequireAuthorization(Policies.ExpertSelf);
        group.MapPost("/{id:guid}/notes", NotesAsync).RequireAuthorization(Policies.ExpertSelf);
        group.MapPost("/{id:guid}/rating", RateAsync).RequireAuthorization(Policies.ConsultationRequest);
        group.MapPost("/{id:guid}/callback/close", CloseCallbackAsync).RequireAuthorization(Policies.ConsultationStaff);
        api.MapPost("/sites/{siteId:guid}/kiosk-token", KioskTokenAsync).WithTags("Consultations").RequireAuthorization(Policies.DirectoryWrite);
        return api;
    }

    private static Guid? KioskSite(ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(KioskTokens.SiteClaim), out var s) ? s : null;

    private static IResult Refused(ConsultationActionException ex) =>
        TypedResults.Problem(title: ex.Status == StatusCodes.Status404NotFound ? "Not found" : "Conflict", detail: ex.Message, statusCode: ex.Status);

    private static async Task<IResult> RequestAsync(
        ConsultationRequest request, ClaimsPrincipal user, VideoLinkDbContext db, ConsultationDispatcher dispatcher, PersonalData personal, CancellationToken ct)
    {
        var check = new Validation()
            .Require(request.SiteId is not null, "siteId", "is required")
            .Text(request.Category, "category", 32)
            .Require(request.Category is null || dispatcher.IsKnownCategory(request.Category), "category", "unknown category code (see GET /api/consultations/categories)")
            .Require(request.IdNumber is null || PersonalData.IsValidResidentId(request.IdNumber), "idNumber", "not a valid 18-character resident ID number")
            .Require(request.IcCard is null || (request.IcCard.Length is >= 4 and <= 64 && request.IcCard.All(char.IsAsciiLetterOrDigit)), "icCard", "4 to 64 letters or digits")
            .Require(request.IdNumber is null || request.IcCard is null, "icCard", "give an ID number or an IC card, not both");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (KioskSite(user) is { } kioskSite && kioskSite != request.SiteId)
        {
            return ApiProblems.Forbidden("A kiosk requests consultations for its own site only.");
        }

        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == request.SiteId, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        if (site.Kind == SiteKind.ExpertStation)
        {
            return new Validation().Require(false, "siteId", "an expert station answers consultations; it does not request them").Problem();
        }

        var (hash, masked) = request.IdNumber is { } idNumber ? (personal.HashIdNumber(idNumber), PersonalData.MaskIdNumber(idNumber))
            : request.IcCard is { } ic ? (personal.Hash("ic:" + ic), "IC ****" + ic[^4..]) : ((string?)null, (string?)null);
        var source = KioskSite(user) is null ? ConsultationSource.Staff : ConsultationSource.Kiosk;
        var ticket = await dispatcher.RequestAsync(new NewConsultation(site.Id, site.OrgUnitId, site.OrgPath, request.Category!, source, hash, masked)).WaitAsync(ct);
        return TypedResults.Created($"/api/consultations/{ticket.Id}", ticket);
    }

    /// <summary>The record as the caller may see it: staff in the org tree, the requesting kiosk, the experts in it.</summary>
    internal static async Task<Consultation?> VisibleAsync(Guid id, ClaimsPrincipal user, VideoLinkDbContext db, ExpertBoard board, CancellationToken ct)
    {
        var row = await db.Consultations.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
        {
            return null;
        }

        if (KioskSite(user) is { } site)
        {
            return row.SiteId == site ? row : null;
        }

        if (ExpertsApi.Me(user, board) is { } me && (row.ExpertId == me.Id || me.OfferFor == id || ConsultationIds.Contains(row.InvitedExpertIds, me.Id)))
        {
            return row;
        }

        return await db.Consultations.AnyAsync(c => c.Id == id, ct) ? row : null;
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, VideoLinkDbContext db, ExpertBoard board, ConsultationDispatcher dispatcher, CancellationToken ct)
    {
        var row = await VisibleAsync(id, user, db, board, ct);
        if (row is null)
        {
            return ApiProblems.NotFound("The consultation");
        }

        var live = row.Status == ConsultationStatus.Closed ? null : await dispatcher.StateOfAsync(id).WaitAsync(ct);
        return TypedResults.Ok(ConsultationView.From(row, live));
    }

    /// <summary>
    /// The requesting site's name and its township (乡镇), for the expert who is rung or in the call: their own org scope
    /// usually lies elsewhere in the tree, so the names are read past the filter once the record is visible to them.
    /// </summary>
    private static async Task<IResult> SiteAsync(Guid id, ClaimsPrincipal user, VideoLinkDbContext db, ExpertBoard board, CancellationToken ct)
    {
        var row = await VisibleAsync(id, user, db, board, ct);
        if (row is null)
        {
            return ApiProblems.NotFound("The consultation");
        }

        var site = await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => s.Id == row.SiteId).Select(s => new { s.Name, s.OrgPath }).FirstOrDefaultAsync(ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        var units = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(u => u.Kind == OrgUnitKind.Township || u.Kind == OrgUnitKind.Subdistrict)
            .Select(u => new { u.Name, u.OrgPath }).ToListAsync(ct);
        var township = units.Where(u => site.OrgPath.StartsWith(u.OrgPath, StringComparison.Ordinal)).OrderByDescending(u => u.OrgPath.Length).Select(u => u.Name).FirstOrDefault();
        return TypedResults.Ok(new ConsultationSiteView(id, row.SiteId, site.Name, township));
    }

    private static async Task<IResult> CancelAsync(Guid id, ClaimsPrincipal user, VideoLinkDbContext db, ExpertBoard board, ConsultationDispatcher dispatcher, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, db, board, ct) is null)
        {
            return ApiProblems.NotFound("The consultation");
        }

        return await ActAsync(() => dispatcher.CancelAsync(id, new ConsultationCaller(KioskSite(user), null, KioskSite(user) is null)), ct);
    }

    private static async Task<IResult> ActAsync(Func<Task> action, CancellationToken ct, object? result = null)
    {
        try
        {
            await action().WaitAsync(ct);
            return TypedResults.Ok(result ?? new { ok = true });
        }
        catch (ConsultationActionException ex)
        {
            return Refused(ex);
        }
    }

    private static async Task<IResult> AcceptAsync(Guid id, ClaimsPrincipal user, ExpertBoard board, ConsultationDispatcher dispatcher, HttpContext http, CancellationToken ct)
    {
        if (ExpertsApi.Me(user, board) is not { } me)
        {
            return ApiProblems.NotFound("Your expert profile");
        }

        try
        {
            var roomId = await dispatcher.AcceptAsync(id, me.Id).WaitAsync(ct);
            var origin = $"{http.Request.Scheme}://{http.Request.Host}";
            return TypedResults.Ok(new { id, roomId, whipUrl = $"{origin}/whip/{roomId}", whepUrl = $"{origin}/whep/{roomId}" });
        }
        catch (ConsultationActionException ex)
        {
            return Refused(ex);
        }
    }

    private static Task<IResult> DeclineAsync(Guid id, ClaimsPrincipal user, ExpertBoard board, ConsultationDispatcher dispatcher, CancellationToken ct) =>
        ExpertsApi.Me(user, board) is { } me ? ActAsync(() => dispatcher.DeclineAsync(id, me.Id), ct) : Task.FromResult(ApiProblems.NotFound("Your expert profile"));

    private static async Task<IResult> EndAsync(Guid id, ClaimsPrincipal user, VideoLinkDbContext db, ExpertBoard board, ConsultationDispatcher dispatcher, CancellationToken ct)
    {
        if (await VisibleAsync(id, user, db, board, ct) is null)
        {
            return ApiProblems.NotFound("The consultation");
        }

        return await ActAsync(() => dispatcher.EndAsync(id, new ConsultationCaller(KioskSite(user), ExpertsApi.Me(user, board)?.Id, false)), ct);
    }

    private static async Task<IResult> TransferAsync(Guid id, TransferRequest request, ClaimsPrincipal user, ExpertBoard board, ConsultationDispatcher dispatcher, VideoLinkDbContext db, CancellationToken ct)
    {
        var target = request.ExpertId is { } t ? board.Find(t) : null;
        var check = new Validation()
            .Require((request.Category is null) != (request.ExpertId is null), "category", "give a category or an expertId (one of them)")
            .Require(request.Category is null || dispatcher.IsKnownCategory(request.Category), "category", "unknown category code")
            .Require(request.ExpertId is null || target is not null, "expertId", "unknown expert");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (ExpertsApi.Me(user, board) is not { } me)
        {
            return ApiProblems.NotFound("Your expert profile");
        }

        var current = await db.Consultations.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == id).Select(c => c.CategoryCode).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return ApiProblems.NotFound("The consultation");
        }

        // To a named expert: queued in the current category if they serve it, else in their own first category.
        var category = request.Category ?? (target!.Categories.Contains(current) ? current : target.Categories[0]);
        return await ActAsync(() => dispatcher.TransferAsync(id, me.Id, category, target?.Id), ct, new { id, status = "Queued", category, expertId = target?.Id });
    }

    private static Task<IResult> InviteAsync(Guid id, InviteRequest request, ClaimsPrincipal user, ExpertBoard board, ConsultationDispatcher dispatcher, CancellationToken ct)
    {
        var invited = request.ExpertId is { } e ? board.Find(e) : null;
        var check = new Validation().Require(invited is not null, "expertId", request.ExpertId is null ? "is required" : "unknown expert");
        if (!check.IsValid)
        {
            return Task.FromResult(check.Problem());
        }

        return ExpertsApi.Me(user, board) is { } me
            ? ActAsync(() => dispatcher.InviteAsync(id, me.Id, invited!), ct, new { id, invitedExpertId = invited!.Id })
            : Task.FromResult(ApiProblems.NotFound("Your expert profile"));
    }

    private static async Task<IResult> NotesAsync(Guid id, NotesRequest request, ClaimsPrincipal user, ExpertBoard board, VideoLinkDbContext db, CancellationToken ct)
    {
        var check = new Validation().Text(request.Text, "text", 2000);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var row = await VisibleAsync(id, user, db, board, ct);
        var me = ExpertsApi.Me(user, board);
        if (row is null || me is null || (row.ExpertId != me.Id && !ConsultationIds.Contains(row.InvitedExpertIds, me.Id)))
        {
            return ApiProblems.NotFound("The consultation");
        }

        var line = $"[{DateTime.UtcNow:yyyy-MM-dd HH:mm}Z {me.Name}] {request.Text!.Trim()}";
        var notes = string.IsNullOrEmpty(row.Notes) ? line : row.Notes + "\n" + line;
        if (notes.Length > 8000)
        {
            return new Validation().Require(false, "text", "the record's notes are full (8000 characters)").Problem();
        }

        // Notes only touch their own column, so they never race the queue's writes to the status columns.
        await db.Consultations.IgnoreQueryFilters().Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Notes, notes), ct);
        return TypedResults.Ok(new { id, notes });
    }

    private static async Task<IResult> RateAsync(Guid id, RatingRequest request, ClaimsPrincipal user, ExpertBoard board, VideoLinkDbContext db, CancellationToken ct)
    {
        var rating = ConsultationFigures.NormaliseRating(request.Rating);
        var check = new Validation().Require(rating is not null, "rating", "满意, 一般 or 不满意");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var row = await VisibleAsync(id, user, db, board, ct);
        if (row is null)
        {
            return ApiProblems.NotFound("The consultation");
        }

        if (row.Outcome != ConsultationOutcome.Answered)
        {
            return ApiProblems.Conflict("Only an answered consultation that has ended can be rated.");
        }

        await db.Consultations.IgnoreQueryFilters().Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Rating, rating).SetProperty(c => c.RatedUtc, DateTime.UtcNow), ct);
        return TypedResults.Ok(new { id, rating });
    }

    private static async Task<IResult> CloseCallbackAsync(Guid id, CallbackCloseRequest request, VideoLinkDbContext db, CancellationToken ct)
    {
        var check = new Validation().Text(request.Note, "note", 1000, required: false);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var row = await db.Consultations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
        {
            return ApiProblems.NotFound("The consultation");
        }

        if (row.Outcome != ConsultationOutcome.Callback || row.CallbackClosedUtc is not null)
        {
            return ApiProblems.Conflict("This is not an open call-back request.");
        }

        var now = DateTime.UtcNow;
        await db.Consultations.IgnoreQueryFilters().Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CallbackClosedUtc, now).SetProperty(c => c.CallbackNote, request.Note), ct);
        return TypedResults.Ok(new { id, callbackClosedUtc = DateTime.SpecifyKind(now, DateTimeKind.Utc) });
    }

    private static async Task<IResult> KioskTokenAsync(Guid siteId, VideoLinkDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        if (site.Kind == SiteKind.ExpertStation)
        {
            return new Validation().Require(false, "siteId", "an expert station is not a kiosk").Problem();
        }

        var secret = KioskTokens.NewSecret();
        var credential = new KioskCredential
        {
            Id = Guid.NewGuid(),
            SiteId = site.Id,
            SecretHash = KioskTokens.Hash(secret),
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
            OrgPath = site.OrgPath,
        };
        db.KioskCredentials.Add(credential);
        await db.SaveChangesAsync(ct);
        // The token is shown once; only its hash is kept.
        return TypedResults.Created($"/api/sites/{site.Id}/kiosk-token", new KioskTokenView(credential.Id, site.Id, KioskTokens.Token(credential.Id, secret)));
    }
}

using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Notices;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Api;

public sealed record NoticeTargetsRequest(List<Guid>? OrgUnitIds, List<Guid>? SiteIds, List<Guid>? UserIds);

public sealed record NoticeRequest(string? Title, string? Body, NoticeTargetsRequest? Targets, Guid? BookingId);

public sealed record NoticeView(Guid Id, string Title, string Body, string Kind, Guid? BookingId, string Sent, string? Read, string? AttachmentName);

public sealed record ReceiptView(Guid UserId, string? Username, string? DisplayName, Guid? SiteId, string? Read);

public sealed record ReceiptsView(Guid NoticeId, int Recipients, int ReadCount, IReadOnlyList<ReceiptView> Read, IReadOnlyList<ReceiptView> Unread);

/// <summary>
/// Notices with read receipts (信息提醒 + 阅读回执): send to org units, sites' users and named users; each recipient
/// lists their own (console, kiosk idle screen) and marks them read; the sender's subtree sees who read and who not.
/// </summary>
internal static class NoticesApi
{
    public const int MaxTargets = 1000;

    public static RouteGroupBuilder MapNoticesApi(this RouteGroupBuilder api)
    {
        var notices = api.MapGroup("/notices").WithTags("Notices");
        notices.MapGet("/", InboxAsync).RequireAuthorization(Policies.DirectoryRead);
        notices.MapPost("/", SendAsync).RequireAuthorization(Policies.NoticeSend);
        notices.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.DirectoryRead);
        notices.MapPost("/{id:guid}/read", ReadAsync).RequireAuthorization(Policies.DirectoryRead);
        notices.MapGet("/{id:guid}/receipts", ReceiptsAsync).RequireAuthorization(Policies.NoticeSend);
        notices.MapGet("/{id:guid}/attachment", AttachmentAsync).RequireAuthorization(Policies.DirectoryRead);
        return api;
    }

    /// <summary>The caller's own notices, newest first. The notice row may belong to a unit above the caller, so it is
    /// read past the org filter — but only through the caller's own receipt row.</summary>
    private static async Task<IResult> InboxAsync(bool? unread, VideoLinkDbContext db, CancellationToken ct)
    {
        var me = db.Scope.UserId;
        var receipts = await db.NoticeRecipients.AsNoTracking().Where(r => r.UserId == me && (unread != true || r.ReadUtc == null)).ToListAsync(ct);
        var ids = receipts.Select(r => r.NoticeId).ToList();
        var notices = await db.Notices.IgnoreQueryFilters().AsNoTracking().Where(n => ids.Contains(n.Id)).OrderByDescending(n => n.CreatedUtc).Take(500).ToListAsync(ct);
        return TypedResults.Ok(notices.Select(n => new NoticeView(n.Id, n.Title, n.Body, n.Kind, n.BookingId, Fmt(n.CreatedUtc)!, Fmt(receipts.First(r => r.NoticeId == n.Id).ReadUtc), n.AttachmentName)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        var (notice, receipt) = await VisibleAsync(db, id, ct);
        return notice is null ? ApiProblems.NotFound("The notice")
            : TypedResults.Ok(new NoticeView(notice.Id, notice.Title, notice.Body, notice.Kind, notice.BookingId, Fmt(notice.CreatedUtc)!, Fmt(receipt?.ReadUtc), notice.AttachmentName));
    }

    private static async Task<IResult> AttachmentAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        var (notice, _) = await VisibleAsync(db, id, ct);
        return notice?.Attachment is null ? ApiProblems.NotFound("The attachment")
            : Results.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(notice.Attachment)).ToArray(), "text/csv; charset=utf-8", notice.AttachmentName);
    }

    private static async Task<IResult> SendAsync(NoticeRequest request, VideoLinkDbContext db, ClaimsPrincipal user, NoticeService notices, CancellationToken ct)
    {
        var check = new Validation().Text(request.Title, "title", 200).Text(request.Body, "body", 4000);
        var targets = request.Targets;
        var count = (targets?.OrgUnitIds?.Count ?? 0) + (targets?.SiteIds?.Count ?? 0) + (targets?.UserIds?.Count ?? 0);
        check.Require(count > 0, "targets", "name at least one org unit, site or user");
        check.Require(count <= MaxTargets, "targets", $"at most {MaxTargets} targets");
        if (check.IsValid)
        {
            // Every target must be inside the sender's subtree (the org-tree rule); one that is not is simply not
            // found, as everywhere else (its existence is not revealed).
            var units = targets!.OrgUnitIds ?? [];
            var sites = targets.SiteIds ?? [];
            var users = targets.UserIds ?? [];
            var knownUnits = await db.OrgUnits.AsNoTracking().CountAsync(u => units.Contains(u.Id), ct);
            var knownSites = await db.Sites.AsNoTracking().CountAsync(s => sites.Contains(s.Id), ct);
            var knownUsers = await db.Users.AsNoTracking().CountAsync(u => users.Contains(u.Id), ct);
            if (knownUnits != units.Distinct().Count() || knownSites != sites.Distinct().Count() || knownUsers != users.Distinct().Count())
            {
                return ApiProblems.NotFound("A target org unit, site or user");
            }
        }

        if (request.BookingId is { } bookingId)
        {
            check.Require(await db.Bookings.AnyAsync(b => b.Id == bookingId, ct), "bookingId", "unknown booking");
        }

        if (!check.IsValid)
        {
            return check.Problem();
        }

        var unitId = Guid.Parse(user.FindFirstValue(BearerAuthenticationHandler.OrgUnitClaim)!);
        var notice = await notices.SendAsync(db, new NewNotice(request.Title!, request.Body!, NoticeService.KindGeneral,
            new NoticeTargets(targets!.OrgUnitIds, targets.SiteIds, targets.UserIds), unitId, db.Scope.UserId, request.BookingId), ct);
        return TypedResults.Created($"/api/notices/{notice.Id}", new NoticeView(notice.Id, notice.Title, notice.Body, notice.Kind, notice.BookingId, Fmt(notice.CreatedUtc)!, null, null));
    }

    private static async Task<IResult> ReadAsync(Guid id, VideoLinkDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var me = db.Scope.UserId;
        var receipt = await db.NoticeRecipients.FirstOrDefaultAsync(r => r.NoticeId == id && r.UserId == me, ct);
        if (receipt is null)
        {
            return ApiProblems.NotFound("The notice");
        }

        // The first read counts; reading again keeps the original time.
        receipt.ReadUtc ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new { noticeId = id, read = Fmt(receipt.ReadUtc) });
    }

    private static async Task<IResult> ReceiptsAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        // The notice itself is under the org filter: only the sender's unit and those above it see its receipts.
        if (!await db.Notices.AnyAsync(n => n.Id == id, ct))
        {
            return ApiProblems.NotFound("The notice");
        }

        var rows = await db.NoticeRecipients.IgnoreQueryFilters().AsNoTracking().Where(r => r.NoticeId == id).ToListAsync(ct);
        var userIds = rows.Select(r => r.UserId).ToList();
        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var views = rows.Select(r => new ReceiptView(r.UserId, users.GetValueOrDefault(r.UserId)?.Username, users.GetValueOrDefault(r.UserId)?.DisplayName, r.SiteId, Fmt(r.ReadUtc)))
            .OrderBy(v => v.Read).ThenBy(v => v.Username, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new ReceiptsView(id, rows.Count, rows.Count(r => r.ReadUtc is not null), views.Where(v => v.Read is not null).ToList(), views.Where(v => v.Read is null).ToList()));
    }

    private static async Task<(Storage.Entities.Notice? Notice, Storage.Entities.NoticeRecipient? Receipt)> VisibleAsync(VideoLinkDbContext db, Guid id, CancellationToken ct)
    {
        var me = db.Scope.UserId;
        var receipt = await db.NoticeRecipients.AsNoTracking().FirstOrDefaultAsync(r => r.NoticeId == id && r.UserId == me, ct);
        var notice = receipt is not null
            ? await db.Notices.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct)
            : await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);
        return (notice, receipt);
    }

    private static string? Fmt(DateTime? t) => t is { } v ? Bookings.BookingTimes.Format(v) : null;
}

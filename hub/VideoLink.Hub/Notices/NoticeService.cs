using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Realtime;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Notices;

/// <summary>Who a notice goes to: every user at or below the org units, the users of the sites' org units, named users.</summary>
public sealed record NoticeTargets(IReadOnlyList<Guid>? OrgUnitIds, IReadOnlyList<Guid>? SiteIds, IReadOnlyList<Guid>? UserIds);

public sealed record NewNotice(string Title, string Body, string Kind, NoticeTargets Targets, Guid SenderOrgUnitId, Guid? SenderUserId, Guid? BookingId = null,
    string? AttachmentName = null, string? Attachment = null);

/// <summary>
/// Sends notices (信息提醒): one row per notice, one receipt row per recipient user (阅读回执). Recipients are resolved
/// when the notice is sent. Consoles, kiosks and agents of the recipients get a <c>notice</c> push.
/// </summary>
public sealed partial class NoticeService(OrgTreeBroadcaster broadcaster, TimeProvider clock, ILogger<NoticeService> logger)
{
    public const string KindGeneral = "general";
    public const string KindBooking = "booking";
    public const string KindReminder = "reminder";
    public const string KindCancellation = "cancellation";
    public const string KindWarning = "warning";
    public const string KindJoinPrompt = "join-prompt";
    public const string KindSupervision = "supervision";

    /// <summary>Sends with the caller's <paramref name="db"/> (its org scope decides which targets it may reach).</summary>
    public async Task<Notice> SendAsync(VideoLinkDbContext db, NewNotice request, CancellationToken cancellationToken)
    {
        var sender = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().FirstAsync(u => u.Id == request.SenderOrgUnitId, cancellationToken);
        var notice = new Notice
        {
            Id = Guid.NewGuid(),
            Title = request.Title,
            Body = request.Body,
            Kind = request.Kind,
            BookingId = request.BookingId,
            SenderUserId = request.SenderUserId,
            SenderOrgUnitId = sender.Id,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
            AttachmentName = request.AttachmentName,
            Attachment = request.Attachment,
            OrgPath = sender.OrgPath,
        };
        db.Notices.Add(notice);
        var recipients = await RecipientsAsync(db, request.Targets, cancellationToken);
        foreach (var (userId, orgPath, siteId) in recipients)
        {
            db.NoticeRecipients.Add(new NoticeRecipient { Id = Guid.NewGuid(), NoticeId = notice.Id, UserId = userId, SiteId = siteId, OrgPath = orgPath });
        }

        await db.SaveChangesAsync(cancellationToken);
        LogSent(logger, notice.Id, notice.Kind, recipients.Count);
        foreach (var path in recipients.Select(r => r.OrgPath).Distinct(StringComparer.Ordinal))
        {
            // Best effort: the durable row is what counts; a push that fails is logged by the broadcaster.
            await broadcaster.SendAsync(path, "notice", new { id = notice.Id, title = notice.Title, kind = notice.Kind, bookingId = notice.BookingId }, cancellationToken);
        }

        return notice;
    }

    private static async Task<List<(Guid UserId, string OrgPath, Guid? SiteId)>> RecipientsAsync(VideoLinkDbContext db, NoticeTargets targets, CancellationToken ct)
    {
        var result = new Dictionary<Guid, (Guid, string, Guid?)>();
        foreach (var unitId in targets.OrgUnitIds ?? [])
        {
            var unit = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct);
            if (unit is null)
            {
                continue;
            }

            foreach (var u in await db.Users.AsNoTracking().Where(u => u.OrgPath.StartsWith(unit.OrgPath)).Select(u => new { u.Id, u.OrgPath }).ToListAsync(ct))
            {
                result.TryAdd(u.Id, (u.Id, u.OrgPath, null));
            }
        }

        foreach (var siteId in targets.SiteIds ?? [])
        {
            var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId, ct);
            if (site is null)
            {
                continue;
            }

            foreach (var u in await db.Users.AsNoTracking().Where(u => u.OrgUnitId == site.OrgUnitId).Select(u => new { u.Id, u.OrgPath }).ToListAsync(ct))
            {
                result.TryAdd(u.Id, (u.Id, u.OrgPath, siteId));
            }
        }

        foreach (var userId in targets.UserIds ?? [])
        {
            var u = await db.Users.AsNoTracking().Where(x => x.Id == userId).Select(x => new { x.Id, x.OrgPath }).FirstOrDefaultAsync(ct);
            if (u is not null)
            {
                result.TryAdd(u.Id, (u.Id, u.OrgPath, null));
            }
        }

        return [.. result.Values];
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Notice {NoticeId} ({Kind}) sent to {Count} recipient(s)")]
    private static partial void LogSent(ILogger logger, Guid noticeId, string kind, int count);
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Bookings;

/// <summary>
/// Arms a booking's occurrences as Quartz triggers in the persistent job store: one durable job per booking
/// (group <see cref="JobGroup"/>), one trigger per occurrence and phase. Re-arming replaces the booking's triggers, so
/// an edit or a cancellation is one call. Triggers use the FireNow misfire policy: a phase whose time passed while the
/// hub was down fires on recovery, and the phase itself decides whether it is still in its window.
/// </summary>
public sealed partial class BookingScheduler(ISchedulerFactory schedulers, IServiceScopeFactory scopes, TimeProvider clock, IOptions<BookingOptions> options, ILogger<BookingScheduler> logger)
{
    public const string JobGroup = "bookings";
    public const string BookingKey = "booking";
    public const string OccurrenceKey = "occurrence";
    public const string PhaseKey = "phase";

    /// <summary>At most this many occurrences of one series are armed at a time (the daily re-arm rolls on).</summary>
    public const int MaxArmedOccurrences = 60;

    public static JobKey JobFor(Guid bookingId) => new(bookingId.ToString("N"), JobGroup);

    /// <summary>Replaces the triggers of <paramref name="booking"/> with those of its coming occurrences.</summary>
    public async Task ArmAsync(Booking booking, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobFor(booking.Id);
        await scheduler.DeleteJob(job, cancellationToken);
        if (booking.CancelledUtc is not null)
        {
            LogArmed(logger, booking.Id, 0);
            return;
        }

        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var occurrences = BookingCalendar.Occurrences(booking, now, now.AddDays(o.ArmDays)).Take(MaxArmedOccurrences).ToList();
        var triggers = new List<ITrigger>();
        foreach (var occurrence in occurrences)
        {
            var start = occurrence.StartUtc;
            var end = occurrence.EndUtc;
            var reminder = start.AddMinutes(-o.ReminderMinutes);
            if (reminder > now)
            {
                triggers.Add(Trigger(job, occurrence, MeetingPhase.Reminder, reminder));
            }

            var prepare = start.AddMinutes(-booking.PrepareMinutes);
            if (booking.PrepareMinutes > 0 && prepare > now)
            {
                triggers.Add(Trigger(job, occurrence, MeetingPhase.Prepare, prepare));
            }

            // Launch even if its start has passed (the meeting is under way): the phase is idempotent.
            triggers.Add(Trigger(job, occurrence, MeetingPhase.Launch, start > now ? start : now));
            if (booking.LaunchMode == LaunchMode.AutoConnect)
            {
                triggers.Add(RetryTrigger(job, occurrence, start > now ? start : now, TimeSpan.FromSeconds(o.RetrySeconds)));
            }

            var warn = end.AddMinutes(-o.WarningMinutes);
            if (warn > now && warn > start)
            {
                triggers.Add(Trigger(job, occurrence, MeetingPhase.Warn, warn));
            }

            triggers.Add(Trigger(job, occurrence, MeetingPhase.End, end));
        }

        if (triggers.Count > 0)
        {
            var detail = JobBuilder.Create<MeetingPhaseJob>().WithIdentity(job).StoreDurably().Build();
            await scheduler.ScheduleJob(detail, triggers, cancellationToken: cancellationToken);
        }

        LogArmed(logger, booking.Id, occurrences.Count);
    }

    /// <summary>Re-arms every booking that is not cancelled and not over (the daily roll of the arming window).</summary>
    public async Task ArmAllAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var bookings = await db.Bookings.AsNoTracking().Include(b => b.Sites).Include(b => b.Changes)
            .Where(b => b.CancelledUtc == null && (b.SeriesEndUtc == null || b.SeriesEndUtc > now))
            .ToListAsync(cancellationToken);
        foreach (var booking in bookings)
        {
            await ArmAsync(booking, cancellationToken);
        }
    }

    private static ITrigger Trigger(JobKey job, Occurrence occurrence, MeetingPhase phase, DateTime fireUtc) =>
        TriggerBuilder.Create()
            .WithIdentity(TriggerName(occurrence, phase), job.Name)
            .ForJob(job)
            .UsingJobData(BookingKey, occurrence.BookingId.ToString("D"))
            .UsingJobData(OccurrenceKey, occurrence.OriginalStartUtc.Ticks.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(PhaseKey, phase.ToString())
            .StartAt(new DateTimeOffset(DateTime.SpecifyKind(fireUtc, DateTimeKind.Utc)))
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();

    /// <summary>Every <paramref name="every"/> from the start until the end: dial whoever is not in the room.</summary>
    private static ITrigger RetryTrigger(JobKey job, Occurrence occurrence, DateTime fromUtc, TimeSpan every) =>
        TriggerBuilder.Create()
            .WithIdentity(TriggerName(occurrence, MeetingPhase.Retry), job.Name)
            .ForJob(job)
            .UsingJobData(BookingKey, occurrence.BookingId.ToString("D"))
            .UsingJobData(OccurrenceKey, occurrence.OriginalStartUtc.Ticks.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(PhaseKey, nameof(MeetingPhase.Retry))
            .StartAt(new DateTimeOffset(DateTime.SpecifyKind(fromUtc + every, DateTimeKind.Utc)))
            .EndAt(new DateTimeOffset(DateTime.SpecifyKind(occurrence.EndUtc, DateTimeKind.Utc)))
            .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();

    private static string TriggerName(Occurrence occurrence, MeetingPhase phase) =>
        occurrence.OriginalStartUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + phase.ToString().ToLowerInvariant();

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Booking {BookingId}: {Count} occurrence(s) armed")]
    private static partial void LogArmed(ILogger logger, Guid bookingId, int count);
}

/// <summary>The one job class: runs the phase named in the trigger's data through <see cref="MeetingConductor"/>.</summary>
[DisallowConcurrentExecution]
public sealed partial class MeetingPhaseJob(MeetingConductor conductor, ILogger<MeetingPhaseJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = context.MergedJobDataMap;
        if (!Guid.TryParse(data.GetString(BookingScheduler.BookingKey), out var bookingId)
            || !long.TryParse(data.GetString(BookingScheduler.OccurrenceKey), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !Enum.TryParse<MeetingPhase>(data.GetString(BookingScheduler.PhaseKey), out var phase))
        {
            LogBadTrigger(logger, context.Trigger.Key.ToString());
            return;
        }

        try
        {
            await conductor.RunPhaseAsync(bookingId, new DateTime(ticks, DateTimeKind.Utc), phase, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failing phase is logged and reported; it never takes the scheduler down (the next trigger still fires).
            LogPhaseFailed(logger, phase, bookingId, ex);
        }
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "Trigger {Trigger} carries no valid booking data")]
    private static partial void LogBadTrigger(ILogger logger, string trigger);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Phase {Phase} of booking {BookingId} failed")]
    private static partial void LogPhaseFailed(ILogger logger, MeetingPhase phase, Guid bookingId, Exception ex);
}

/// <summary>Daily: re-arm every live booking so series longer than the arming window keep their triggers.</summary>
[DisallowConcurrentExecution]
public sealed class BookingRearmJob(BookingScheduler scheduler) : IJob
{
    public static readonly JobKey Key = new("rearm", BookingScheduler.JobGroup + "-system");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await scheduler.ArmAllAsync(cancellationToken);
}

using VideoLink.StationAgent.Link;

namespace VideoLink.StationAgent.Journal;

/// <summary>
/// Drains the outbox to the hub in batches: wakes on a new entry, on (re)connect and every few seconds; backs off
/// while the hub is unreachable. Only ids the hub acknowledged are marked uploaded (modelled on a batching sink:
/// one reader, bounded batches, back-off on failure).
/// </summary>
public sealed partial class OutboxUploader(Outbox outbox, HubLink link, ILogger<OutboxUploader> logger) : BackgroundService
{
    public const int BatchSize = 200;
    public static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        outbox.Appended += Wake;
        link.Connected += Wake;
        var backoff = TimeSpan.FromSeconds(1);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var uploadedAll = false;
                if (link.IsConnected)
                {
                    try
                    {
                        uploadedAll = await DrainAsync(stoppingToken);
                        backoff = TimeSpan.FromSeconds(1);
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (Exception ex)
                    {
                        LogUploadFailed(logger, ex.Message);
                        await Task.Delay(backoff, stoppingToken);
                        backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                        continue;
                    }
                }

                if (uploadedAll || !link.IsConnected)
                {
                    await _wake.WaitAsync(IdlePoll, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; whatever is left stays in the outbox for next time.
        }
        finally
        {
            outbox.Appended -= Wake;
            link.Connected -= Wake;
        }
    }

    /// <summary>Uploads one batch; true when the outbox is empty afterwards.</summary>
    private async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        var batch = await outbox.PendingAsync(BatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            return true;
        }

        var acknowledged = await link.UploadAsync(batch, cancellationToken);
        var sent = batch.Select(b => b.Id).ToHashSet();
        var confirmed = acknowledged.Where(sent.Contains).ToList();
        await outbox.MarkUploadedAsync(confirmed, cancellationToken);
        LogUploaded(logger, confirmed.Count, batch.Count);
        return batch.Count < BatchSize && confirmed.Count == batch.Count;
    }

    private void Wake() => _wake.Release();

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Uploaded {Confirmed} of {Sent} journal entries")]
    private static partial void LogUploaded(ILogger logger, int confirmed, int sent);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Journal upload failed: {Reason}; will retry")]
    private static partial void LogUploadFailed(ILogger logger, string reason);
}

using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Queue;

/// <summary>The request side of <see cref="DevicePort"/>: worker, attempts, classification, health.</summary>
public sealed partial class DevicePort
{
    private async Task WorkAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                bool signalled = _options.Mode == ConnectionMode.PerBurst && IsConnected
                    ? await _queueSignal.WaitAsync(_options.IdleCloseAfter, stopping).ConfigureAwait(false)
                    : await _queueSignal.WaitAsync(Timeout.Infinite, stopping).ConfigureAwait(false);
                if (!signalled)
                {
                    // End of a burst: close before the projector does (PJLink closes idle links after ~30 s).
                    await Transport.CloseAsync(CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Pending? pending;
            lock (_gate)
            {
                _queue.TryDequeue(out pending, out _);
            }

            if (pending is null)
            {
                continue;
            }

            DeviceResult result;
            try
            {
                result = await ExecuteAsync(pending.Request, pending.Cancellation, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A driver bug must not stop the queue for the other requests on this port.
                result = new DeviceResult(DeviceResultStatus.Rejected, ReadOnlyMemory<byte>.Empty, ex.Message, 0);
            }
            catch (OperationCanceledException)
            {
                result = new DeviceResult(DeviceResultStatus.Cancelled, ReadOnlyMemory<byte>.Empty, "cancelled", 0);
            }

            if (!result.IsSuccess && result.Status != DeviceResultStatus.Cancelled)
            {
                _logger.RequestFailed(Endpoint, pending.Request.Name, result.Status, result.Error);
            }

            pending.Completion.TrySetResult(result);
        }
    }

    private async Task<DeviceResult> ExecuteAsync(DeviceRequest request, CancellationToken callerToken, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, stopping);
        var token = linked.Token;
        var timeout = request.Timeout ?? _options.ReplyTimeout;
        int maxAttempts = Math.Max(1, request.MaxAttempts ?? _options.MaxAttempts);
        int attempts = 0;
        int busy = 0;
        var status = DeviceResultStatus.TimedOut;
        string? error = null;
        ReadOnlyMemory<byte>? payload = null;
        try
        {
            while (attempts < maxAttempts)
            {
                attempts++;
                var connection = await EnsureConnectedAsync(timeout, attempts, token).ConfigureAwait(false);
                if (connection is null)
                {
                    status = DeviceResultStatus.Disconnected;
                    error = $"{Endpoint} is not connected";
                    continue;
                }

                if (payload is null)
                {
                    payload = request.PayloadFactory is null ? request.Payload : request.PayloadFactory();
                }

                var outcome = await AttemptAsync(request, payload.Value, timeout, connection.Value, token).ConfigureAwait(false);
                switch (outcome.Kind)
                {
                    case AttemptKind.Done:
                        return outcome.Result! with { Attempts = attempts + busy };
                    case AttemptKind.Busy when busy < _options.MaxBusyRetries:
                        busy++;
                        attempts--;
                        _logger.Busy(Endpoint, request.Name, outcome.Error, outcome.RetryAfter.TotalMilliseconds);
                        await Task.Delay(outcome.RetryAfter, token).ConfigureAwait(false);
                        break;
                    case AttemptKind.Busy:
                        status = DeviceResultStatus.Rejected;
                        error = $"still busy after {busy} retries: {outcome.Error}";
                        return new DeviceResult(status, ReadOnlyMemory<byte>.Empty, error, attempts + busy);
                    case AttemptKind.Lost:
                        status = DeviceResultStatus.Disconnected;
                        error = outcome.Error;
                        break;
                    case AttemptKind.Resync:
                        status = DeviceResultStatus.Rejected;
                        error = outcome.Error;
                        payload = null;
                        await ResyncAsync(request.Name, outcome.Error, timeout).ConfigureAwait(false);
                        break;
                    default:
                        status = DeviceResultStatus.TimedOut;
                        error = $"no reply within {timeout.TotalMilliseconds:0} ms";
                        _logger.AttemptTimedOut(Endpoint, request.Name, attempts);
                        CountTimeout();
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return new DeviceResult(DeviceResultStatus.Cancelled, ReadOnlyMemory<byte>.Empty, "cancelled", attempts);
        }

        return new DeviceResult(status, ReadOnlyMemory<byte>.Empty, error, attempts + busy);
    }

    private async Task<CancellationToken?> EnsureConnectedAsync(TimeSpan timeout, int attempt, CancellationToken token)
    {
        if (_options.Mode == ConnectionMode.PerBurst && !IsConnected)
        {
            try
            {
                await ConnectAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TransportException or TimeoutException || (ex is OperationCanceledException && !token.IsCancellationRequested))
            {
                _logger.ConnectFailed(Endpoint, _options.ReconnectInitialDelay.TotalMilliseconds * attempt, ex);
                await Task.Delay(_options.ReconnectInitialDelay * attempt, token).ConfigureAwait(false);
                return null;
            }
        }

        try
        {
            await Volatile.Read(ref _connected).Task.WaitAsync(timeout, token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }

        var connection = Volatile.Read(ref _connection);
        return connection is null || connection.IsCancellationRequested ? null : connection.Token;
    }

    private async Task<AttemptOutcome> AttemptAsync(DeviceRequest request, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken connection, CancellationToken token)
    {
        while (_frames.Reader.TryRead(out var stale))
        {
            RaiseUnsolicited(stale);
        }

        _claiming = true;
        try
        {
            var prefix = NextPayloadPrefix;
            if (!prefix.IsEmpty)
            {
                NextPayloadPrefix = ReadOnlyMemory<byte>.Empty;
                var joined = new byte[prefix.Length + payload.Length];
                prefix.CopyTo(joined);
                payload.CopyTo(joined.AsMemory(prefix.Length));
                payload = joined;
            }

            try
            {
                await Transport.WriteAsync(payload, token).ConfigureAwait(false);
            }
            catch (TransportException ex)
            {
                return AttemptOutcome.Lost(ex.Message);
            }

            if (request.Classify is null)
            {
                // Write-only protocols (Pelco-D, LCUS): a completed write is all the health we can know.
                SetHealth(DeviceHealth.Ok, null);
                return AttemptOutcome.Done(DeviceResult.Done());
            }

            while (true)
            {
                byte[]? frame;
                try
                {
                    frame = await ReadFrameAsync(timeout, connection, token).ConfigureAwait(false);
                }
                catch (TransportClosedException ex)
                {
                    return AttemptOutcome.Lost(ex.Message);
                }

                if (frame is null)
                {
                    return AttemptOutcome.TimedOut;
                }

                var verdict = request.Classify(frame);
                switch (verdict.Kind)
                {
                    case ReplyKind.Progress:
                        continue; // the next read restarts the timer (VISCA: ACK restarts the 2 s timer)
                    case ReplyKind.Success:
                        Interlocked.Exchange(ref _consecutiveTimeouts, 0);
                        SetHealth(DeviceHealth.Ok, null);
                        return AttemptOutcome.Done(new DeviceResult(DeviceResultStatus.Success, frame, null, 1));
                    case ReplyKind.Fatal:
                        Interlocked.Exchange(ref _consecutiveTimeouts, 0);
                        SetHealth(DeviceHealth.Ok, null);
                        return AttemptOutcome.Done(new DeviceResult(DeviceResultStatus.Rejected, frame, verdict.Reason, 1));
                    case ReplyKind.Retry:
                        return AttemptOutcome.Busy(verdict.Reason, verdict.RetryAfter);
                    case ReplyKind.Resync:
                        return new AttemptOutcome(AttemptKind.Resync, null, verdict.Reason, TimeSpan.Zero);
                    default:
                        RaiseUnsolicited(frame);
                        continue;
                }
            }
        }
        finally
        {
            _claiming = false;
        }
    }

    private void CountTimeout()
    {
        int count = Interlocked.Increment(ref _consecutiveTimeouts);
        if (count >= _options.FailAfterTimeouts)
        {
            SetHealth(DeviceHealth.Failed, $"{count} consecutive timeouts");
        }
        else if (count >= _options.WarnAfterTimeouts)
        {
            SetHealth(DeviceHealth.Warning, $"{count} consecutive timeouts");
        }
    }

    private void SetHealth(DeviceHealth health, string? reason)
    {
        if (_health == health)
        {
            return;
        }

        _health = health;
        _logger.HealthChanged(Endpoint, health, reason);
        HealthChanged?.Invoke(this, new DeviceHealthChangedEventArgs(health, reason));
    }

    private void RaiseUnsolicited(byte[] frame)
    {
        try
        {
            UnsolicitedFrame?.Invoke(this, new DeviceFrameEventArgs(frame));
        }
        catch (Exception ex)
        {
            // A subscriber's bug must not kill the read pump.
            _logger.HandlerFailed(Endpoint, ex);
        }
    }

    /// <summary>Drops the link so the next attempt reconnects and runs the handshake again.</summary>
    private async Task ResyncAsync(string request, string? reason, TimeSpan timeout)
    {
        _logger.Resync(Endpoint, request, reason);
        await Transport.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // The pump resets the connected signal as it ends; wait for that so the next attempt cannot
            // pick up the old link.
            await _pump.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The next attempt's connect wait covers it.
        }
    }

    private enum AttemptKind
    {
        Resync,
        Done,
        Busy,
        TimedOut,
        Lost,
    }

    private readonly record struct AttemptOutcome(AttemptKind Kind, DeviceResult? Result, string? Error, TimeSpan RetryAfter)
    {
        public static AttemptOutcome TimedOut => new(AttemptKind.TimedOut, null, null, TimeSpan.Zero);

        public static AttemptOutcome Done(DeviceResult result) => new(AttemptKind.Done, result, null, TimeSpan.Zero);

        public static AttemptOutcome Busy(string? reason, TimeSpan after) => new(AttemptKind.Busy, null, reason, after);

        public static AttemptOutcome Lost(string error) => new(AttemptKind.Lost, null, error, TimeSpan.Zero);
    }

    private sealed class Pending(DeviceRequest request, CancellationToken cancellation)
    {
        public DeviceRequest Request { get; } = request;

        public CancellationToken Cancellation { get; } = cancellation;

        public TaskCompletionSource<DeviceResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

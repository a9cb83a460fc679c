using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.Queue;

/// <summary>The link side of <see cref="DevicePort"/>: supervise, connect + handshake, read pump.</summary>
public sealed partial class DevicePort
{
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var delay = _options.ReconnectInitialDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ConnectAsync(stopping).ConfigureAwait(false);
                delay = _options.ReconnectInitialDelay;
                await _pump.ConfigureAwait(false);
                if (stopping.IsCancellationRequested)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.ConnectFailed(Endpoint, delay.TotalMilliseconds, ex);
            }

            try
            {
                await Task.Delay(delay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsConnected)
            {
                return;
            }

            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.ConnectTimeout);
                await Transport.OpenAsync(timeout.Token).ConfigureAwait(false);
            }

            while (_frames.Reader.TryRead(out _))
            {
                // Frames from the previous link cannot answer anything on this one.
            }

            var connection = new CancellationTokenSource();
            var old = Interlocked.Exchange(ref _connection, connection);
            old?.Dispose();
            NextPayloadPrefix = ReadOnlyMemory<byte>.Empty;
            var frameBuffer = new FrameBuffer(_framer);

            // Claim frames before the pump starts so a greeting sent at once (PJLink) is not lost.
            _claiming = Handshake is not null;
            _pump = Task.Run(() => PumpAsync(frameBuffer, connection), CancellationToken.None);

            if (Handshake is not null)
            {
                try
                {
                    await Handshake(new PortSession(this, connection.Token), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _logger.HandshakeFailed(Endpoint, ex);
                    await Transport.CloseAsync(CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    _claiming = false;
                }
            }

            _logger.Connected(Endpoint);
            if (_health == DeviceHealth.Failed)
            {
                // The link is back; request timeouts will say if the device itself is still silent.
                SetHealth(DeviceHealth.Ok, "reconnected");
            }

            Volatile.Read(ref _connected).TrySetResult();
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task PumpAsync(FrameBuffer frameBuffer, CancellationTokenSource connection)
    {
        Exception? error = null;
        try
        {
            var token = _stopping.Token;
            while (true)
            {
                int read = await Transport.ReadAsync(frameBuffer.GetWriteMemory(), token).ConfigureAwait(false);
                frameBuffer.Commit(read);
                while (frameBuffer.TryTakeFrame(out var frame))
                {
                    Interlocked.Exchange(ref _lastSeenTicks, DateTimeOffset.UtcNow.UtcTicks);
                    if (_claiming)
                    {
                        _frames.Writer.TryWrite(frame);
                    }
                    else
                    {
                        RaiseUnsolicited(frame);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            if (!_stopping.IsCancellationRequested)
            {
                _logger.LinkLost(Endpoint, error);
                if (_options.Mode == ConnectionMode.Persistent)
                {
                    SetHealth(DeviceHealth.Failed, error?.Message ?? "link lost");
                }
            }

            lock (_gate)
            {
                if (_connected.Task.IsCompleted)
                {
                    _connected = NewSignal();
                }
            }

            connection.Cancel();
        }
    }
}

using VideoLink.Hardware.Queue;

namespace VideoLink.Hardware.Devices;

/// <summary>A device driven through one <see cref="DevicePort"/>: health, start and dispose in one place.</summary>
public abstract class PortDevice : IDevice
{
    private int _disposed;

    /// <summary>Wraps <paramref name="port"/>; the device owns and disposes it.</summary>
    protected PortDevice(DevicePort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        Port = port;
        port.HealthChanged += (_, e) => HealthChanged?.Invoke(this, e);
    }

    /// <inheritdoc />
    public event EventHandler<DeviceHealthChangedEventArgs>? HealthChanged;

    /// <summary>The port with its queue.</summary>
    public DevicePort Port { get; }

    /// <inheritdoc />
    public DeviceHealth Health => Port.Health;

    /// <inheritdoc />
    public DateTimeOffset? LastSeen => Port.LastSeen;

    /// <inheritdoc />
    public virtual Task StartAsync(CancellationToken cancellationToken)
    {
        Port.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await DisposeCoreAsync().ConfigureAwait(false);
        await Port.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Extra clean-up before the port closes.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    /// <summary>Sends one request.</summary>
    protected Task<DeviceResult> SendAsync(string name, byte[] payload, RequestPriority priority, ReplyClassifier? classify, CancellationToken cancellationToken) =>
        Port.SendAsync(new DeviceRequest { Name = name, Payload = payload, Priority = priority, Classify = classify }, cancellationToken);
}

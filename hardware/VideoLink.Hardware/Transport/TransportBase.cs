namespace VideoLink.Hardware.Transport;

/// <summary>State bookkeeping shared by the transports.</summary>
public abstract class TransportBase : IDeviceTransport
{
    private int _state = (int)TransportState.Closed;

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public TransportState State => (TransportState)Volatile.Read(ref _state);

    /// <inheritdoc />
    public event EventHandler<TransportStateChangedEventArgs>? StateChanged;

    /// <inheritdoc />
    public abstract ValueTask OpenAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask CloseAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync(CancellationToken.None).ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Moves to <paramref name="state"/> and raises <see cref="StateChanged"/> if it changed.</summary>
    protected void SetState(TransportState state, Exception? error = null)
    {
        if (Interlocked.Exchange(ref _state, (int)state) != (int)state)
        {
            StateChanged?.Invoke(this, new TransportStateChangedEventArgs(state, error));
        }
    }

    /// <summary>Throws unless the transport is open.</summary>
    protected void ThrowIfNotOpen()
    {
        if (State != TransportState.Open)
        {
            throw new TransportClosedException($"{Description} is {State}.");
        }
    }
}

using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;

namespace VideoLink.Hardware.IdCard;

/// <summary>ID card reader settings.</summary>
public sealed record IdCardReaderOptions
{
    /// <summary>Readers default to 115200 8N1 (many also do 9600).</summary>
    public const int DefaultBaudRate = 115200;

    /// <summary>Salt for the ID-number hash; the same salt must be used district-wide so hashes match people.</summary>
    public required string HashSalt { get; init; }

    /// <summary>How often to look for a card.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Queue policy.</summary>
    public DevicePortOptions Port { get; init; } = new();
}

/// <summary>
/// China 2nd-generation resident ID card reader (SAM module, serial): polls find card (<c>20 01</c>),
/// select (<c>20 02</c>), read basic information (<c>30 01</c>), parses the UCS-2 text and raises
/// <see cref="CardRead"/> once per placement with the ID number masked and hashed — never raw.
/// </summary>
public sealed partial class IdCardReader : PortDevice, ICardReader
{
    /// <summary>SW3 status: success.</summary>
    public const byte StatusOk = 0x90;

    /// <summary>SW3 status: card found.</summary>
    public const byte StatusCardFound = 0x9F;

    private readonly IdCardReaderOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _polling = Task.CompletedTask;
    private string? _presentKey;

    private IdCardReader(DevicePort port, IdCardReaderOptions options, ILogger logger)
        : base(port)
    {
        if (string.IsNullOrWhiteSpace(options.HashSalt))
        {
            throw new ArgumentException("A hash salt is required so ID numbers are never stored raw.", nameof(options));
        }

        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public event EventHandler<CardReadEventArgs>? CardRead;

    /// <summary>Reader on a serial port.</summary>
    public static IdCardReader CreateSerial(SerialPortSettings serial, IdCardReaderOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        return new IdCardReader(new DevicePort(new SerialPortTransport(serial), IdCardFramer.Instance, options.Port, logger), options, logger);
    }

    /// <summary>Request packets (body = CMD PARA).</summary>
    public static byte[] FindCard() => IdCardFramer.Build([0x20, 0x01]);

    /// <summary>Select card.</summary>
    public static byte[] SelectCard() => IdCardFramer.Build([0x20, 0x02]);

    /// <summary>Read basic information (text + photo).</summary>
    public static byte[] ReadBasicInfo() => IdCardFramer.Build([0x30, 0x01]);

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Port.Start();
        if (_polling.IsCompleted)
        {
            // Runs until dispose; failures are caught inside the loop and logged.
            _polling = Task.Run(() => PollLoopAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>One find/select/read cycle; returns the identity when a card was read.</summary>
    public async Task<CardIdentity?> ReadOnceAsync(CancellationToken cancellationToken)
    {
        var find = await ExchangeAsync("FindCard", FindCard(), cancellationToken).ConfigureAwait(false);
        if (find is not { } found)
        {
            return null; // no answer: says nothing about the card, keep the de-duplication state
        }

        if (found.Status != StatusCardFound)
        {
            _presentKey = null; // the reader reports no card: the next placement is a new read
            return null;
        }

        var select = await ExchangeAsync("SelectCard", SelectCard(), cancellationToken).ConfigureAwait(false);
        if (select is not { Status: StatusOk })
        {
            return null;
        }

        var read = await ExchangeAsync("ReadBasicInfo", ReadBasicInfo(), cancellationToken).ConfigureAwait(false);
        if (read is not { Status: StatusOk } info || info.Data.Length < 4)
        {
            return null;
        }

        int textLength = BinaryPrimitives.ReadUInt16BigEndian(info.Data.Span);
        if (info.Data.Length < 4 + textLength || textLength < IdCardInfo.TextLength)
        {
            return null;
        }

        // The photo (WLT, 1024 B) follows; it needs the vendor's decoder and is not kept.
        return IdCardInfo.Parse(info.Data.Span.Slice(4, IdCardInfo.TextLength)).ToIdentity(_options.HashSalt);
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeCoreAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _polling.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Stopping.
        }

        _stopping.Dispose();
    }

    private async Task PollLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var identity = await ReadOnceAsync(stopping).ConfigureAwait(false);
                if (identity is not null && identity.Key != _presentKey)
                {
                    _presentKey = identity.Key;
                    Log.CardRead(_logger, identity.Display);
                    CardRead?.Invoke(this, new CardReadEventArgs(identity, DateTimeOffset.UtcNow));
                }

                await Task.Delay(_options.PollInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A malformed card or a subscriber's bug must not stop the reader.
                Log.PollFailed(_logger, ex);
            }
        }
    }

    private async Task<Reply?> ExchangeAsync(string name, byte[] packet, CancellationToken cancellationToken)
    {
        var result = await SendAsync(name, packet, RequestPriority.Polling, static frame => frame.Length >= 11 ? ReplyVerdict.Success : ReplyVerdict.Unrelated, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return null;
        }

        // Body: SW1 SW2 SW3 data…
        var body = result.Reply[7..^1];
        return new Reply(body.Span[2], body[3..]);
    }

    private readonly record struct Reply(byte Status, ReadOnlyMemory<byte> Data);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "ID card read: {MaskedIdNumber}")]
        public static partial void CardRead(ILogger logger, string maskedIdNumber);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "ID card poll failed")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}

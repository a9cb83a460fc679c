using System.Buffers.Binary;
using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.Evdev;

/// <summary>
/// Linux <c>struct input_event</c> on 64-bit (linux/input.h): <c>struct timeval</c> (two 8-byte
/// longs), <c>__u16 type</c>, <c>__u16 code</c>, <c>__s32 value</c> — 24 bytes, native (little) endian.
/// </summary>
public readonly record struct InputEvent(long Seconds, long Microseconds, ushort Type, ushort Code, int Value)
{
    /// <summary>Size of one event.</summary>
    public const int Size = 24;

    /// <summary>EV_SYN.</summary>
    public const ushort EvSyn = 0x00;

    /// <summary>EV_KEY.</summary>
    public const ushort EvKey = 0x01;

    /// <summary>When the kernel stamped the event.</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Microseconds * 10);

    /// <summary>Reads one event.</summary>
    public static InputEvent Read(ReadOnlySpan<byte> data) => new(
        BinaryPrimitives.ReadInt64LittleEndian(data),
        BinaryPrimitives.ReadInt64LittleEndian(data[8..]),
        BinaryPrimitives.ReadUInt16LittleEndian(data[16..]),
        BinaryPrimitives.ReadUInt16LittleEndian(data[18..]),
        BinaryPrimitives.ReadInt32LittleEndian(data[20..]));

    /// <summary>Writes the event into <paramref name="destination"/> (24 bytes).</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, Seconds);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], Microseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[16..], Type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[18..], Code);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], Value);
    }
}

/// <summary>Cuts the evdev stream into 24-byte events (the kernel only ever returns whole events).</summary>
public sealed class InputEventFramer : IFrameDecoder
{
    /// <summary>The shared instance.</summary>
    public static InputEventFramer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => InputEvent.Size;

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        if (buffer.Length < InputEvent.Size)
        {
            frame = default;
            consumed = 0;
            return false;
        }

        frame = 0..InputEvent.Size;
        consumed = InputEvent.Size;
        return true;
    }
}

/// <summary>Key codes from linux/input-event-codes.h that card readers, scanners and call buttons send.</summary>
public static class KeyCodes
{
    /// <summary>KEY_ENTER.</summary>
    public const ushort Enter = 28;

    /// <summary>KEY_KPENTER.</summary>
    public const ushort KeypadEnter = 96;

    /// <summary>KEY_X (last character of some ID numbers).</summary>
    public const ushort X = 45;

    /// <summary>The character a key types, or null.</summary>
    public static char? Character(ushort code) => code switch
    {
        >= 2 and <= 10 => (char)('1' + code - 2),   // KEY_1..KEY_9
        11 => '0',                                   // KEY_0
        71 => '7', 72 => '8', 73 => '9',             // KEY_KP7..KP9
        75 => '4', 76 => '5', 77 => '6',             // KEY_KP4..KP6
        79 => '1', 80 => '2', 81 => '3',             // KEY_KP1..KP3
        82 => '0',                                   // KEY_KP0
        X => 'X',
        _ => null,
    };

    /// <summary>The key code that types <paramref name="c"/> (simulators).</summary>
    public static ushort ForCharacter(char c) => c switch
    {
        >= '1' and <= '9' => (ushort)(c - '1' + 2),
        '0' => 11,
        'X' or 'x' => X,
        '\n' or '\r' => Enter,
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "Only digits, X and Enter are typed by card readers."),
    };
}

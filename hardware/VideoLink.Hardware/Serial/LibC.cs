using System.Runtime.InteropServices;

namespace VideoLink.Hardware.Serial;

/// <summary>
/// The few libc calls a serial port needs (termios(3), poll(2), open(2)). Constants are the Linux
/// generic values (x86-64 and arm64 glibc/musl agree); see asm-generic/termbits.h and fcntl.h.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int ORdOnly = 0x0;
    public const int ORdWr = 0x2;
    public const int ONoCtty = 0x100;      // 0400: do not become our controlling terminal
    public const int ONonBlock = 0x800;    // 04000
    public const int OCloExec = 0x80000;   // 02000000

    public const int EIntr = 4;
    public const int EIo = 5;
    public const int EAgain = 11;

    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    public const short PollErr = 0x8;
    public const short PollHup = 0x10;
    public const short PollNval = 0x20;

    public const int TcsaNow = 0;
    public const int TcIoFlush = 2;
    public const uint TiocExcl = 0x540C;

    // c_cflag bits
    public const uint CSize = 0x30;
    public const uint Cs5 = 0x00;
    public const uint Cs6 = 0x10;
    public const uint Cs7 = 0x20;
    public const uint Cs8 = 0x30;
    public const uint CStopB = 0x40;
    public const uint CRead = 0x80;
    public const uint ParEnb = 0x100;
    public const uint ParOdd = 0x200;
    public const uint HupCl = 0x400;
    public const uint CLocal = 0x800;
    public const uint CmsPar = 0x40000000; // mark/space parity
    public const uint CrtsCts = 0x80000000;

    // c_iflag bits
    public const uint IxOn = 0x400;
    public const uint IxOff = 0x1000;
    public const uint IxAny = 0x800;

    // c_cc indices
    public const int VTime = 5;
    public const int VMin = 6;

    /// <summary>glibc's struct termios: four flags, c_line, 32 control chars, then the two speeds (60 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Termios
    {
        public uint IFlag;
        public uint OFlag;
        public uint CFlag;
        public uint LFlag;
        public byte Line;
        public fixed byte ControlChars[32];
        public uint ISpeed;
        public uint OSpeed;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, Termios* termios);

    [LibraryImport(Library, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, Termios* termios);

    [LibraryImport(Library, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(Termios* termios);

    [LibraryImport(Library, EntryPoint = "cfsetispeed", SetLastError = true)]
    public static partial int CfSetISpeed(Termios* termios, uint speed);

    [LibraryImport(Library, EntryPoint = "cfsetospeed", SetLastError = true)]
    public static partial int CfSetOSpeed(Termios* termios, uint speed);

    [LibraryImport(Library, EntryPoint = "tcflush", SetLastError = true)]
    public static partial int TcFlush(int fd, int queueSelector);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, nint argument);

    [LibraryImport(Library, EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkFifo(string path, uint mode);

    [LibraryImport(Library, EntryPoint = "strerror")]
    private static partial nint StrError(int errno);

    /// <summary>The text for an errno value.</summary>
    public static string Describe(int errno)
    {
        nint text = StrError(errno);
        return text == 0 ? $"errno {errno}" : $"{Marshal.PtrToStringUTF8(text)} (errno {errno})";
    }

    /// <summary>Reads the termios of the terminal at <paramref name="path"/> (diagnostics and tests).</summary>
    public static (uint CFlag, uint LFlag, uint ISpeed, uint OSpeed, byte VMin, byte VTime) Snapshot(string path)
    {
        int fd = Open(path, ORdWr | ONoCtty | ONonBlock | OCloExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open {path}: {Describe(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            Termios termios;
            if (TcGetAttr(fd, &termios) != 0)
            {
                throw new IOException($"tcgetattr {path}: {Describe(Marshal.GetLastPInvokeError())}");
            }

            return (termios.CFlag, termios.LFlag, termios.ISpeed, termios.OSpeed, termios.ControlChars[VMin], termios.ControlChars[VTime]);
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>Maps a baud rate to its termios speed_t constant (asm-generic/termbits.h).</summary>
    public static bool TryGetSpeed(int baudRate, out uint speed)
    {
        speed = baudRate switch
        {
            1200 => 0x9,
            2400 => 0xB,
            4800 => 0xC,
            9600 => 0xD,
            19200 => 0xE,
            38400 => 0xF,
            57600 => 0x1001,
            115200 => 0x1002,
            230400 => 0x1003,
            _ => 0,
        };
        return speed != 0;
    }
}

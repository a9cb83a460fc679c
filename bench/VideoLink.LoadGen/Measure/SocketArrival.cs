using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace VideoLink.LoadGen.Measure;

/// <summary>
/// When the datagram a receiver just read reached its socket: the kernel's arrival stamp (<c>SIOCGSTAMP</c>, socket(7);
/// the first call turns stamping on for the socket), mapped onto <see cref="Stopwatch"/> ticks. The delay a server adds
/// is publisher send → arrival at the receiver's socket, as a capture on the receiving host would see it; the moment the
/// generator's own receive loop gets round to the datagram also counts its scheduling (300 receivers share two cores
/// with the server here), so both are recorded and reported apart. Linux, 64-bit; elsewhere the receive time is used.
/// </summary>
internal sealed partial class SocketArrival
{
    private const nuint SiocGStamp = 0x8906; // asm-generic/sockios.h: struct timeval, 64-bit fields on 64-bit Linux
    private const int ENoEnt = 2;            // "nothing stamped yet": stamping is now on
    private static readonly double StopwatchTicksPerMicrosecond = Stopwatch.Frequency / 1e6;

    private readonly int _fd;

    private SocketArrival(int fd) => _fd = fd;

    /// <summary>A probe for the socket, or null where the kernel cannot say.</summary>
    public static SocketArrival? TryCreate(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }

        int fd = (int)socket.SafeHandle.DangerousGetHandle();
        int rc = Ioctl(fd, SiocGStamp, out _);
        return rc == 0 || Marshal.GetLastPInvokeError() == ENoEnt ? new SocketArrival(fd) : null;
    }

    /// <summary>
    /// The arrival of the last datagram read, in Stopwatch ticks, given the Stopwatch reading taken right after the read
    /// (<paramref name="nowTicks"/>); <paramref name="nowTicks"/> itself when the kernel has no stamp.
    /// The wall clock and the Stopwatch are read next to each other, so only their difference in the last moment counts.
    /// </summary>
    public long ArrivalTicks(long nowTicks)
    {
        long nowMicroseconds = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        if (Ioctl(_fd, SiocGStamp, out var stamp) != 0)
        {
            return nowTicks;
        }

        long waitedMicroseconds = nowMicroseconds - ((stamp.Seconds * 1_000_000) + stamp.Microseconds);
        return waitedMicroseconds <= 0 ? nowTicks : nowTicks - (long)(waitedMicroseconds * StopwatchTicksPerMicrosecond);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, out TimeVal value);
}

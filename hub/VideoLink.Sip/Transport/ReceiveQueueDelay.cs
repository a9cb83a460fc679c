using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace VideoLink.Sip.Transport;

/// <summary>
/// How long the datagram just read waited in the socket's receive queue: the kernel's arrival time of the last
/// datagram read (<c>SIOCGSTAMP</c>, socket(7); asking turns kernel timestamps on) against the clock now. Linux only.
/// With several loops on one socket the stamp may be a neighbour's datagram read a moment earlier, which is close
/// enough for the overload guard: a queue that holds datagrams for a long time holds all of them for a long time.
/// </summary>
internal sealed partial class ReceiveQueueDelay
{
    private const nuint SiocGStamp = 0x8906; // asm-generic/sockios.h; struct timeval with 64-bit time on 64-bit Linux

    private readonly int _fd;

    private ReceiveQueueDelay(int fd) => _fd = fd;

    /// <summary>A probe for the socket, or null where the kernel cannot say (not Linux, not 64-bit, ioctl refused).</summary>
    public static ReceiveQueueDelay? TryCreate(Socket socket)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }
        int fd = (int)socket.SafeHandle.DangerousGetHandle();
        // ENOENT ("nothing received yet") is the expected answer here; anything else means no support.
        int rc = Ioctl(fd, SiocGStamp, out _);
        return rc == 0 || Marshal.GetLastPInvokeError() == ENoEnt ? new ReceiveQueueDelay(fd) : null;
    }

    /// <summary>Time from the kernel's arrival stamp of the last datagram read to now; zero when unknown.</summary>
    public TimeSpan LastDatagramDelay()
    {
        if (Ioctl(_fd, SiocGStamp, out var stamp) != 0)
        {
            return TimeSpan.Zero;
        }
        long arrivedMicroseconds = stamp.Seconds * 1_000_000 + stamp.Microseconds;
        long nowMicroseconds = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        long waited = nowMicroseconds - arrivedMicroseconds;
        return waited > 0 ? TimeSpan.FromTicks(waited * TimeSpan.TicksPerMicrosecond) : TimeSpan.Zero;
    }

    private const int ENoEnt = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, out TimeVal value);
}

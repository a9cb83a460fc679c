using System.Runtime.InteropServices;

namespace VideoLink.Media.Net;

/// <summary>
/// Keeps the calling thread on one CPU of the ones the process may use (sched_setaffinity(2) with the thread's own id,
/// Linux only). The send workers use it so that, under load, the scheduler does not stack both of them on the CPU of
/// the thread that woke them: a worker that never sleeps again is not moved back soon, and two workers sharing one
/// core deliver half as fast while the other core idles.
/// </summary>
internal static partial class ThreadAffinity
{
    private const int MaskBytes = 128; // cpu_set_t: 1024 CPUs

    /// <summary>
    /// Pins the calling thread to the <paramref name="index"/>-th allowed CPU (modulo their count); false where not
    /// supported or refused (the thread then runs wherever the scheduler puts it).
    /// </summary>
    public static bool TryPinCurrentThread(int index)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> allowed = stackalloc byte[MaskBytes];
        if (SchedGetAffinity(0, (nuint)MaskBytes, ref MemoryMarshal.GetReference(allowed)) != 0)
        {
            return false;
        }

        var cpus = new List<int>();
        for (var cpu = 0; cpu < MaskBytes * 8; cpu++)
        {
            if ((allowed[cpu >> 3] & (1 << (cpu & 7))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        if (cpus.Count < 2)
        {
            return false;
        }

        Span<byte> mask = stackalloc byte[MaskBytes];
        mask.Clear();
        var chosen = cpus[index % cpus.Count];
        mask[chosen >> 3] = (byte)(1 << (chosen & 7));
        return SchedSetAffinity(0, (nuint)MaskBytes, ref MemoryMarshal.GetReference(mask)) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nuint size, ref byte mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ref byte mask);
}

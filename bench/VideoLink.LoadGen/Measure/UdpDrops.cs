using System.Globalization;

namespace VideoLink.LoadGen.Measure;

/// <summary>
/// Datagrams the kernel dropped on given local UDP ports because their receive queue was full (/proc/net/udp, the
/// last column "drops"). Tells loss at our own receivers apart from loss inside the server.
/// </summary>
internal static class UdpDrops
{
    public static long Sum(IReadOnlySet<int> localPorts)
    {
        long drops = 0;
        foreach (var line in File.ReadLines("/proc/net/udp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 13)
            {
                continue;
            }

            var port = int.Parse(fields[1].AsSpan(fields[1].IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (localPorts.Contains(port))
            {
                drops += long.Parse(fields[^1], CultureInfo.InvariantCulture);
            }
        }

        return drops;
    }
}

using System.Globalization;

namespace VideoLink.LoadGen.Measure;

/// <summary>CPU time and memory of another process from procfs (proc(5): stat fields 14 utime, 15 stime; status VmRSS).</summary>
internal static class ProcessSampler
{
    /// <summary>USER_HZ; 100 on every Linux we run on (sysconf(_SC_CLK_TCK)).</summary>
    private const double ClockTicksPerSecond = 100.0;

    /// <summary>utime + stime of every thread of the process so far, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }

    /// <summary>Resident set size in MiB (VmRSS).</summary>
    public static double RssMegabytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>The 1-, 5- and 15-minute load averages, as <c>uptime</c> prints them.</summary>
    public static string LoadAverage()
    {
        var parts = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"{parts[0]}, {parts[1]}, {parts[2]}";
    }
}

using VideoLink.Media.Net;

namespace VideoLink.Media.Tests.Net;

/// <summary>Send workers pinned to CPUs (MediaOptions.PinSendThreads): the kernel's own view of the thread says so.</summary>
public sealed class ThreadAffinityTests
{
    [Fact]
    public void PinnedThread_IsAllowedOnExactlyOneCpu_TheIndexedOneOfTheProcesssCpus()
    {
        var processCpus = AllowedCpus("/proc/self/status");
        string? pinnedTo = null;
        var pinned = false;
        var thread = new Thread(() =>
        {
            pinned = ThreadAffinity.TryPinCurrentThread(1);
            pinnedTo = Field("/proc/thread-self/status", "Cpus_allowed_list");
        });
        thread.Start();
        thread.Join();

        if (processCpus.Count >= 2)
        {
            Assert.True(pinned);
            Assert.Equal(processCpus[1].ToString(System.Globalization.CultureInfo.InvariantCulture), pinnedTo);
            Assert.Equal(processCpus, AllowedCpus("/proc/self/status")); // the process (and this thread) keep every CPU
        }
        else
        {
            Assert.False(pinned); // one CPU: nothing to spread over, the thread is left alone
        }
    }

    private static string Field(string statusFile, string name) =>
        File.ReadAllLines(statusFile).Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    /// <summary>"0-1,4" → [0, 1, 4].</summary>
    private static List<int> AllowedCpus(string statusFile) =>
        [.. Field(statusFile, "Cpus_allowed_list").Split(',').SelectMany(part =>
        {
            var bounds = part.Split('-').Select(int.Parse).ToArray();
            return Enumerable.Range(bounds[0], bounds[^1] - bounds[0] + 1);
        })];
}

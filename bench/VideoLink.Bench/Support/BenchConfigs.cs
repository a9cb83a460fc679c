#if MEDIA_INTERNALS
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace VideoLink.Bench.Support;

/// <summary>
/// Short runs for a shared 2-core machine: one launch, 3 warm-up and 15 measured iterations, in process
/// (no generated project to build). Enough to compare with a target; not enough for fine regressions.
/// </summary>
public class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);

        // On a shared machine the minimum is the best estimate of the uncontended cost; Op/s is 1 / mean.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.OperationsPerSecond);
    }
}

/// <summary>
/// For benchmarks whose input can be used only once (SRTP replay protection rejects an index seen before): an
/// [IterationSetup] prepares a fresh batch, each iteration is one invocation of the whole batch.
/// </summary>
public class BatchConfig : ManualConfig
{
    public BatchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Batch"));
        AddDiagnoser(MemoryDiagnoser.Default);

        // On a shared machine the minimum is the best estimate of the uncontended cost; Op/s is 1 / mean.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.OperationsPerSecond);
    }
}
#endif

using BenchmarkDotNet.Running;

namespace VideoLink.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
#if MEDIA_INTERNALS
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
#else
        _ = args;
        Console.Error.WriteLine(
            "VideoLink.Bench was built without access to VideoLink.Media internals. Add "
            + "<InternalsVisibleTo Include=\"VideoLink.Bench\" /> to hub/VideoLink.Media/VideoLink.Media.csproj and rebuild.");
        return 2;
#endif
    }
}

using System.Globalization;
using VideoLink.LoadGen;
using VideoLink.LoadGen.Media;
using VideoLink.LoadGen.Targets;
using VideoLink.Media.Dtls;

// Conference load generator (issue 5 item 8). bench/conference/run.sh starts the hub and Janus and calls this with
// their URLs and process ids; see bench/conference/README in RESULTS-conference.md for the exact command.
var arguments = Arguments.Parse(args);
VideoLink.LoadGen.Peers.LoadPeer.VerifyEvery = int.Parse(arguments.Get("--verify-every", "8"), CultureInfo.InvariantCulture);
VideoLink.LoadGen.Peers.LoadPeer.DelayEvery = int.Parse(arguments.Get("--delay-every", "4"), CultureInfo.InvariantCulture);
var options = new LoadOptions(
    arguments.Get("--receivers", "50,150,300").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList(),
    double.Parse(arguments.Get("--seconds", "20"), CultureInfo.InvariantCulture),
    double.Parse(arguments.Get("--warmup", "4"), CultureInfo.InvariantCulture),
    int.Parse(arguments.Get("--connect-concurrency", "6"), CultureInfo.InvariantCulture),
    new StreamShape(
        int.Parse(arguments.Get("--video-bitrate", "2000000"), CultureInfo.InvariantCulture),
        30,
        double.Parse(arguments.Get("--keyframe-interval", "2"), CultureInfo.InvariantCulture),
        2.5,
        1100),
    ReceiverHost(arguments.Get("--receiver-host", "127.1.0.1")));

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var targets = new List<IConferenceTarget>();
using var hubHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
using var janusHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
if (arguments.TryGet("--hub-url", out var hubUrl))
{
    hubHttp.BaseAddress = new Uri(hubUrl);
    var password = Environment.GetEnvironmentVariable("VIDEOLINK_ADMIN_PASSWORD") ?? throw new InvalidOperationException("Set VIDEOLINK_ADMIN_PASSWORD.");
    targets.Add(new HubTarget(hubHttp, password, int.Parse(arguments.Get("--hub-pid", "0"), CultureInfo.InvariantCulture)));
}

if (arguments.TryGet("--janus-url", out var janusUrl))
{
    janusHttp.BaseAddress = new Uri(janusUrl);
    targets.Add(new JanusTarget(janusHttp, int.Parse(arguments.Get("--janus-pid", "0"), CultureInfo.InvariantCulture)));
}

if (targets.Count == 0)
{
    Console.Error.WriteLine("usage: VideoLink.LoadGen [--hub-url URL --hub-pid PID] [--janus-url URL --janus-pid PID] [--receivers 50,150,300] [--seconds 20] [--warmup 4] [--verify-every 8] [--delay-every 4] [--receiver-host 127.1.0.1|off] [--output FILE] [--command TEXT]");
    return 2;
}

var certificate = DtlsCertificate.Generate("loadgen");
var results = new List<RunResult>();
foreach (var n in options.ReceiverCounts)
{
    foreach (var target in targets)
    {
        var run = new ConferenceRun(target, options, certificate, Console.Out);
        var result = await run.RunAsync(n, cancel.Token).ConfigureAwait(false);
        results.Add(result);
        Console.WriteLine(ResultsReport.Row(result));

        // Let the server finish tearing the room down before the next run measures it.
        await Task.Delay(TimeSpan.FromSeconds(3), cancel.Token).ConfigureAwait(false);
    }
}

foreach (var target in targets.OfType<IAsyncDisposable>())
{
    await target.DisposeAsync().ConfigureAwait(false);
}

var report = ResultsReport.Markdown(results, options, arguments.Get("--command", string.Join(' ', args)));
if (arguments.TryGet("--output", out var output))
{
    await File.WriteAllTextAsync(output, report).ConfigureAwait(false);
    Console.WriteLine($"Wrote {output}");
}
else
{
    Console.WriteLine(report);
}

return 0;

// The receivers' shared socket (ReceiverHost) and the first of their addresses; "off": a socket per receiver.
static System.Net.IPAddress? ReceiverHost(string value) => value == "off" ? null : System.Net.IPAddress.Parse(value);

/// <summary>"--name value" pairs.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            parsed._values[args[i]] = args[i + 1];
        }

        return parsed;
    }

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public bool TryGet(string name, out string value) => _values.TryGetValue(name, out value!);
}

using System.Globalization;
using System.Text;

namespace VideoLink.LoadGen;

/// <summary>The markdown table of RESULTS-conference.md and the hub/Janus CPU-per-packet ratio per N.</summary>
internal static class ResultsReport
{
    public const string Header =
        "| target | N | connected | loss % | p50 ms | p99 ms | max ms | p99 read ms | server CPU % | CPU µs/packet | RSS MiB | generator CPU % | drops: receivers / server sockets / server send queue | load before → after |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    public static string Row(RunResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {r.Target} | {r.Receivers} | {r.Connected} | {r.LossPercent:F3} | {r.P50Milliseconds:F2} | {r.P99Milliseconds:F2} | {r.MaxBucketMilliseconds:F1} | {r.ReadP99Milliseconds:F2} | {r.CpuPercent:F1} | {r.CpuMicrosecondsPerPacket:F2} | {r.RssMegabytes:F0} | {r.GeneratorCpuPercent:F1} | {r.ReceiverSocketDrops} / {r.ServerSocketDrops} / {r.ServerSendDrops?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} | {r.LoadBefore} → {r.LoadAfter} |");

    public static string Markdown(IReadOnlyList<RunResult> results, LoadOptions options, string command)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("### Table").AppendLine().AppendLine(Header);
        foreach (var r in results)
        {
            sb.AppendLine(Row(r));
        }

        sb.AppendLine().AppendLine("### Hub / Janus server CPU per forwarded packet").AppendLine()
            .AppendLine("| N | hub µs/packet | Janus µs/packet | hub / Janus |").AppendLine("|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => r.Receivers))
        {
            var hub = group.FirstOrDefault(r => r.Target.StartsWith("VideoLink", StringComparison.Ordinal));
            var janus = group.FirstOrDefault(r => r.Target.StartsWith("Janus", StringComparison.Ordinal));
            if (hub is not null && janus is not null)
            {
                sb.AppendLine(inv, $"| {group.Key} | {hub.CpuMicrosecondsPerPacket:F2} | {janus.CpuMicrosecondsPerPacket:F2} | {hub.CpuMicrosecondsPerPacket / janus.CpuMicrosecondsPerPacket:F2} |");
            }
        }

        sb.AppendLine().AppendLine("### Run details").AppendLine()
            .AppendLine(inv, $"- Window {options.MeasureSeconds} s per run after {options.WarmupSeconds} s of warm-up; receivers connected {options.ConnectConcurrency} at a time.")
            .AppendLine(inv, $"- Stream: H.264-like video {options.Shape.VideoBitsPerSecond / 1e6:F1} Mbps, {options.Shape.FramesPerSecond} fps, keyframe every {options.Shape.KeyFrameIntervalSeconds} s (5× a delta frame), paced at {options.Shape.PacingFactor}× the rate, ≤ {options.Shape.MaxPayloadBytes} B payloads; PCMU 50 packets/s.")
            .AppendLine(inv, $"- Receivers fully verify (authenticate + replay check + decrypt) every {VideoLink.LoadGen.Peers.LoadPeer.VerifyEvery}. RTP packet and decrypt only the 16-byte stamp of the others (`--verify-every`).")
            .AppendLine(inv, $"- Receivers: {(options.ReceiverHostAddress is { } first ? $"the hub's share one socket (`ReceiverHost`: each its own address from {first} up, read in bursts with `recvmmsg`, every packet timed by the kernel's `SO_TIMESTAMPNS` stamp); Janus's have a socket each (libnice's replies to the shared socket's addresses never arrived)" : "a socket each (`--receiver-host off`)")}.")
            .AppendLine(inv, $"- Delay is publisher send → arrival at the receiver's socket (the kernel's stamp): what the server adds, as a capture on the receiving host would see it; a receiver on a socket of its own asks for the stamp (`SIOCGSTAMP`) of one packet in {VideoLink.LoadGen.Peers.LoadPeer.DelayEvery} (a random phase per receiver, so every packet is timed by some); loss counts every packet. \"p99 read\" is send → the generator reading the packet; it adds the generator's own scheduling on the two cores it shares with the server.")
            .AppendLine("- Packets expected / received in the window, SRTP failures and set-up time per run:")
            .AppendLine();
        foreach (var r in results)
        {
            sb.AppendLine(inv, $"  - {r.Target}, N = {r.Receivers}: expected {r.Expected:N0}, received {r.Received:N0}, SRTP failures {r.SrtpFailures}, datagrams dropped by the kernel at the receivers' sockets (full receive queue) {r.ReceiverSocketDrops:N0}, at the server's sockets {r.ServerSocketDrops:N0}, dropped by the server's send queues {(r.ServerSendDrops is { } d ? d.ToString("N0", inv) : "n/a")}, set-up {r.SetupSeconds:F1} s");
        }

        sb.AppendLine().AppendLine("Command:").AppendLine().AppendLine("```sh").AppendLine(command).AppendLine("```");
        return sb.ToString();
    }
}

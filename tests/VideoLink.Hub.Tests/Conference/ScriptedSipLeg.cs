using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>
/// A SIP video phone made of parts: a hand-written UAC (INVITE with digest, ACK, 200 to the hub's INFO, BYE) and an
/// ffmpeg process that generates H.264 (libx264, Constrained Baseline) + PCMU tone RTP. ffmpeg sends into two local
/// relay sockets, and the phone's own media sockets pass the packets on to the hub — so the hub's symmetric RTP sees
/// one address per stream and sends its output to sockets this class reads: the video chosen for the phone (kept with
/// arrival times) and its audio mix (decoded to samples).
/// </summary>
internal sealed partial class ScriptedSipLeg : IAsyncDisposable
{
    public const string FfmpegPath = "/usr/bin/ffmpeg";

    private readonly RawPeer _sip = new();
    private readonly IPEndPoint _server;
    private readonly string _user;
    private readonly string _password;
    private readonly string _callId = Guid.NewGuid().ToString("N") + "@scripted";
    private readonly string _fromTag = "s" + Guid.NewGuid().ToString("N")[..8];
    private readonly Socket _audio = Bind();
    private readonly Socket _video = Bind();
    private readonly Socket _audioRelay = Bind();
    private readonly Socket _videoRelay = Bind();
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<string> _responses = Channel.CreateUnbounded<string>();
    private readonly List<Task> _loops = [];
    private readonly ConcurrentQueue<(long Ticks, byte[] Packet)> _receivedVideo = new();
    private readonly List<short> _receivedAudio = [];
    private Process? _ffmpeg;
    private string? _toHeader;
    private int _cseq;

    public ScriptedSipLeg(IPEndPoint server, string user, string password)
    {
        _server = server;
        _user = user;
        _password = password;
    }

    public int InfoRequests { get; private set; }

    public IReadOnlyCollection<(long Ticks, byte[] Packet)> ReceivedVideo => _receivedVideo;

    public short[] ReceivedAudio()
    {
        lock (_receivedAudio)
        {
            return [.. _receivedAudio];
        }
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int PortOf(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;

    private string Offer() =>
        "v=0\r\no=scripted 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        $"m=audio {PortOf(_audio)} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n" +
        $"m=video {PortOf(_video)} RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 profile-level-id=42e01f;packetization-mode=1\r\na=sendrecv\r\n";

    private string Invite(string target, string? auth)
    {
        var body = Offer();
        return $"INVITE {target} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{_sip.Port};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
            $"From: \"scripted\" <sip:{_user}@127.0.0.1>;tag={_fromTag}\r\nTo: <{target}>\r\nCall-ID: {_callId}\r\nCSeq: {_cseq} INVITE\r\n" +
            $"Contact: <sip:{_user}@127.0.0.1:{_sip.Port}>\r\nMax-Forwards: 70\r\n" + (auth is null ? "" : $"Proxy-Authorization: {auth}\r\n") +
            $"Content-Type: application/sdp\r\nContent-Length: {body.Length}\r\n\r\n{body}";
    }

    private string InDialog(string method, int cseq) =>
        $"{method} sip:hub@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{_sip.Port};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
        $"From: <sip:{_user}@127.0.0.1>;tag={_fromTag}\r\nTo: {_toHeader}\r\nCall-ID: {_callId}\r\nCSeq: {cseq} {method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    /// <summary>Dials <paramref name="target"/> (a room number URI), answers the digest challenge, ACKs, starts media.</summary>
    public async Task JoinAsync(string target, int toneHz, TimeSpan timeout)
    {
        var status = await TryJoinAsync(target, toneHz, timeout);
        Assert.StartsWith("SIP/2.0 200", status, StringComparison.Ordinal);
    }

    /// <summary>As <see cref="JoinAsync"/>, but returns the final response's status line (media starts only on 200).</summary>
    public async Task<string> TryJoinAsync(string target, int toneHz, TimeSpan timeout)
    {
        Assert.True(File.Exists(FfmpegPath), "ffmpeg is required at " + FfmpegPath + " (apt-get install ffmpeg)");
        _cseq = 1;
        await _sip.SendAsync(Invite(target, null), _server);
        var challenge = await _sip.ExpectAsync("SIP/2.0 407", timeout);
        await _sip.SendAsync($"ACK {target} SIP/2.0\r\nVia: {TestDigest.Header(challenge, "Via")}\r\nFrom: {TestDigest.Header(challenge, "From")}\r\nTo: {TestDigest.Header(challenge, "To")}\r\nCall-ID: {_callId}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n", _server);
        _cseq = 2;
        await _sip.SendAsync(Invite(target, TestDigest.Authorization(challenge, "Proxy-Authenticate", "INVITE", target, _user, _password)), _server);
        string ok;
        while (true)
        {
            ok = await _sip.ExpectAsync("SIP/2.0 ", timeout);
            if (TestDigest.Header(ok, "CSeq") == "2 INVITE" && !ok.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
            {
                break;
            }
        }

        if (!ok.StartsWith("SIP/2.0 200", StringComparison.Ordinal))
        {
            await _sip.SendAsync($"ACK {target} SIP/2.0\r\nVia: {TestDigest.Header(ok, "Via")}\r\nFrom: {TestDigest.Header(ok, "From")}\r\nTo: {TestDigest.Header(ok, "To")}\r\nCall-ID: {_callId}\r\nCSeq: 2 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n", _server);
            return ok.Split("\r\n")[0];
        }

        _toHeader = TestDigest.Header(ok, "To");
        await _sip.SendAsync(InDialog("ACK", 2), _server);
        var answer = ok[(ok.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var audioPort = int.Parse(AudioLine().Match(answer).Groups[1].Value, CultureInfo.InvariantCulture);
        var videoPort = int.Parse(VideoLine().Match(answer).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(videoPort > 0, "the hub refused video: " + answer);
        var hubAudio = new IPEndPoint(IPAddress.Loopback, audioPort);
        var hubVideo = new IPEndPoint(IPAddress.Loopback, videoPort);

        _loops.Add(Task.Run(() => SipLoopAsync(_stop.Token)));
        _loops.Add(Task.Run(() => RelayAsync(_audioRelay, _audio, hubAudio, _stop.Token)));
        _loops.Add(Task.Run(() => RelayAsync(_videoRelay, _video, hubVideo, _stop.Token)));
        _loops.Add(Task.Run(() => ReceiveAsync(_audio, video: false, _stop.Token)));
        _loops.Add(Task.Run(() => ReceiveAsync(_video, video: true, _stop.Token)));

        var psi = new ProcessStartInfo(FfmpegPath) { RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "-hide_banner", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
            "-f", "lavfi", "-i", $"sine=frequency={toneHz}:sample_rate=8000,asetnsamples=n=160:p=0",
            "-map", "0:v", "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-tune", "zerolatency",
            "-g", "15", "-x264-params", "repeat-headers=1", "-payload_type", "96", "-f", "rtp", $"rtp://127.0.0.1:{PortOf(_videoRelay)}",
            "-map", "1:a", "-c:a", "pcm_mulaw", "-ar", "8000", "-payload_type", "0", "-f", "rtp", $"rtp://127.0.0.1:{PortOf(_audioRelay)}",
        })
        {
            psi.ArgumentList.Add(arg);
        }

        _ffmpeg = Process.Start(psi)!;
        _ffmpeg.ErrorDataReceived += (_, _) => { };
        _ffmpeg.BeginErrorReadLine();
        return ok.Split("\r\n")[0];
    }

    /// <summary>The phone goes silent without a BYE (power cut, network gone): ffmpeg stops, SIP stays.</summary>
    public async Task GoSilentAsync()
    {
        if (_ffmpeg is { HasExited: false })
        {
            _ffmpeg.Kill(entireProcessTree: true);
            await _ffmpeg.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Whether the hub sent this phone a BYE (answered with 200 by the SIP loop).</summary>
    public bool ByeReceived { get; private set; }

    /// <summary>BYE and the hub's 200.</summary>
    public async Task HangUpAsync(TimeSpan timeout)
    {
        _cseq++;
        await _sip.SendAsync(InDialog("BYE", _cseq), _server);
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var response = await _responses.Reader.ReadAsync(cts.Token);
            if (TestDigest.Header(response, "CSeq") == $"{_cseq} BYE")
            {
                Assert.StartsWith("SIP/2.0 200", response, StringComparison.Ordinal);
                return;
            }
        }
    }

    /// <summary>Answers the hub's in-dialog requests (INFO picture_fast_update, refreshes) with 200; queues responses.</summary>
    private async Task SipLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var message = await _sip.ReceiveAsync(TimeSpan.FromMilliseconds(200));
            if (message is null)
            {
                continue;
            }

            if (message.StartsWith("SIP/2.0", StringComparison.Ordinal))
            {
                _responses.Writer.TryWrite(message);
                continue;
            }

            if (message.StartsWith("INFO", StringComparison.Ordinal))
            {
                InfoRequests++;
            }

            if (message.StartsWith("BYE", StringComparison.Ordinal))
            {
                ByeReceived = true;
            }

            if (message.StartsWith("ACK", StringComparison.Ordinal))
            {
                continue;
            }

            var reply = "SIP/2.0 200 OK\r\n" + string.Concat(new[] { "Via", "From", "To", "Call-ID", "CSeq" }.Select(h => $"{h}: {TestDigest.Header(message, h)}\r\n")) + "Content-Length: 0\r\n\r\n";
            await _sip.SendAsync(reply, _server);
        }
    }

    private static async Task RelayAsync(Socket from, Socket via, IPEndPoint to, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var r = await from.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
                await via.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, to, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ReceiveAsync(Socket socket, bool video, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
                if (r.ReceivedBytes < 12 || buffer[1] is >= 192 and <= 223)
                {
                    continue;
                }

                if (video)
                {
                    _receivedVideo.Enqueue((Environment.TickCount64, buffer[..r.ReceivedBytes]));
                }
                else if ((buffer[1] & 0x7F) == 0)
                {
                    lock (_receivedAudio)
                    {
                        for (var i = 12; i < r.ReceivedBytes; i++)
                        {
                            _receivedAudio.Add(VideoLink.Hub.Conference.G711.Decode(buffer[i], VideoLink.Hub.Conference.AudioLaw.MuLaw));
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ffmpeg is { HasExited: false })
        {
            _ffmpeg.Kill(entireProcessTree: true);
            await _ffmpeg.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }

        _ffmpeg?.Dispose();
        await _stop.CancelAsync();
        foreach (var s in new[] { _audio, _video, _audioRelay, _videoRelay })
        {
            s.Dispose();
        }

        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        _sip.Dispose();
        _stop.Dispose();
    }

    [GeneratedRegex(@"m=audio ([0-9]+) ")]
    private static partial Regex AudioLine();

    [GeneratedRegex(@"m=video ([0-9]+) ")]
    private static partial Regex VideoLine();
}

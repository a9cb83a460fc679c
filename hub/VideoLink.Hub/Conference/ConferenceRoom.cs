using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using VideoLink.Media.Rtp;

namespace VideoLink.Hub.Conference;

/// <summary>Result of a chair command on a live room.</summary>
public enum ControlResult
{
    Done,
    NoSuchLeg,

    /// <summary>The leg exists but sends no video, so it cannot be shown.</summary>
    NotAVideoSource,
}

/// <summary>
/// One live room on this media node: its legs, who sees whom (<see cref="VideoSelector"/>), the per-receiver video
/// routes, the room's audio (<see cref="IRoomAudio"/>) and a 20 ms clock that drives audio out, voice activation,
/// polling, keyframe retries, sender reports and the RTP timeout. A leg failing (a bad packet, a dead peer) is
/// removed alone; every handler on the media path is guarded so one leg never stops the others.
/// </summary>
internal sealed partial class ConferenceRoom : ILegSink, IAsyncDisposable
{
    private const int TickMilliseconds = 20;
    private const int SamplesPerFrame = 160;
    private const long FirstMediaGraceMilliseconds = 60_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, LegEntry> _legs = [];
    private readonly VideoSelector _selector = new();
    private readonly ActiveSpeakerTracker _speakers;
    private readonly IRoomAudio _audio;
    private readonly ConferenceOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Guid, long> _lastKeyFrameRequest = new();
    private readonly Task _loop;
    private Dictionary<Guid, LegEntry> _snapshot = [];
    private PollingRotation? _polling;
    private int _ended;

    public ConferenceRoom(Guid id, string name, string orgPath, string sipNumber, IRoomAudio audio, ConferenceOptions options, ILogger logger)
    {
        Id = id;
        Name = name;
        OrgPath = orgPath;
        SipNumber = sipNumber;
        _audio = audio;
        _options = options;
        _logger = logger;
        _speakers = new ActiveSpeakerTracker { HoldMilliseconds = options.SpeakerHoldMilliseconds, MinDwellMilliseconds = options.SpeakerMinDwellMilliseconds };
        _audio.DtmfReceived += (_, e) => Raise(() => Dtmf?.Invoke(this, e));
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public Guid Id { get; }

    public string Name { get; }

    public string OrgPath { get; }

    public string SipNumber { get; }

    /// <summary>
    /// Hash of the dial-in PIN (<c>sip:&lt;number&gt;*&lt;pin&gt;@hub</c>, <see cref="RoomPin"/>); null = none. Loaded from
    /// and saved to the room's row, so a restart keeps it.
    /// </summary>
    public string? PinHash { get; set; }

    /// <summary>
    /// A locked room admits nobody new (dial-in refused 403, WHIP/WHEP 423, dial-out refused). Loaded from and saved
    /// to the room's row.
    /// </summary>
    public bool Locked { get; set; }

    /// <summary>True if the room has no PIN or <paramref name="entered"/> is it.</summary>
    public bool Admits(string? entered) => PinHash is not { } hash || RoomPin.Matches(hash, entered);

    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    public event EventHandler<ConferenceLeg>? LegJoined;

    public event EventHandler<(ConferenceLeg Leg, string Reason)>? LegLeft;

    public event EventHandler<Guid?>? SpeakerChanged;

    public event EventHandler<DtmfEventArgs>? Dtmf;

    /// <summary>Every 2 s: the room's live view (stats for the consoles).</summary>
    public event EventHandler<RoomLiveView>? StatsReady;

    public int LegCount => Volatile.Read(ref _snapshot).Count;

    public ConferenceLeg? FindLeg(Guid legId) => Volatile.Read(ref _snapshot).TryGetValue(legId, out var e) ? e.Leg : null;

    public IReadOnlyList<ConferenceLeg> Legs => [.. Volatile.Read(ref _snapshot).Values.Select(e => e.Leg)];

    /// <summary>Adds a leg; false when the room has ended.</summary>
    public bool AddLeg(ConferenceLeg leg)
    {
        lock (_gate)
        {
            if (IsEnded)
            {
                return false;
            }

            var entry = new LegEntry(leg, leg.ReceivesVideo ? new VideoRoute(leg) : null);
            _legs[leg.Id] = entry;
            if (leg.PublishesVideo)
            {
                _selector.AddPublisher(leg.Id);
            }

            if (leg.PublishesAudio || leg.ReceivesAudio)
            {
                _audio.AddLeg(leg.Id, leg.OutboundAudioLaw);
                if (leg.Companion is { } companion)
                {
                    _audio.SetCompanion(leg.Id, companion);
                }
            }

            Publish();
            Reselect();
        }

        leg.Attach(this);
        LogLegJoined(_logger, Id, leg.Id, leg.Kind, leg.DisplayName);
        Raise(() => LegJoined?.Invoke(this, leg));
        return true;
    }

    /// <summary>Removes a leg (first reason wins) and ends its session; false if it is not in the room.</summary>
    public bool RemoveLeg(Guid legId, string reason)
    {
        LegEntry? entry;
        lock (_gate)
        {
            if (!_legs.Remove(legId, out entry))
            {
                return false;
            }

            ForgetLeg(legId);
            Publish();
            Reselect();
        }

        LogLegLeft(_logger, Id, legId, reason);
        entry.Leg.Ended(reason);
        entry.Leg.Hangup();
        Raise(() => LegLeft?.Invoke(this, (entry.Leg, reason)));
        return true;
    }

    /// <summary>Ends the room: every leg leaves with <paramref name="reason"/>, the clock stops.</summary>
    public async Task EndAsync(string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        List<Guid> ids;
        lock (_gate)
        {
            ids = [.. _legs.Keys];
        }

        foreach (var id in ids)
        {
            RemoveLeg(id, reason);
        }

        await _stop.CancelAsync();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync(LeaveReasons.RoomEnded);
        _audio.Dispose();
        _stop.Dispose();
    }

    // ---- chair commands ----

    public ControlResult SetMainVenue(Guid legId) => Command(legId, requireVideo: true, () => _selector.SetMainVenue(legId));

    public ControlResult RollCall(Guid legId) => Command(legId, requireVideo: true, () =>
    {
        _polling = null;
        _selector.PolledSite = null;
        _selector.SetRollCall(legId);
    });

    public void EndRollCall() => Command(null, requireVideo: false, () => _selector.SetRollCall(null));

    public ControlResult StartPolling(IReadOnlyList<Guid> legIds, TimeSpan interval)
    {
        lock (_gate)
        {
            foreach (var id in legIds)
            {
                if (!_legs.TryGetValue(id, out var e))
                {
                    return ControlResult.NoSuchLeg;
                }

                if (!e.Leg.PublishesVideo)
                {
                    return ControlResult.NotAVideoSource;
                }
            }

            _selector.SetRollCall(null);
            _polling = new PollingRotation(legIds, interval, Environment.TickCount64);
            _selector.PolledSite = _polling.Current;
            Reselect();
            return ControlResult.Done;
        }
    }

    public void StopPolling() => Command(null, requireVideo: false, () =>
    {
        _polling = null;
        _selector.PolledSite = null;
    });

    public void SetVideoMode(VideoMode mode) => Command(null, requireVideo: false, () => _selector.Mode = mode);

    public ControlResult SetMuted(Guid legId, bool muted)
    {
        if (FindLeg(legId) is null)
        {
            return ControlResult.NoSuchLeg;
        }

        _audio.SetMuted(legId, muted);
        return ControlResult.Done;
    }

    /// <summary>Mutes every leg but the main venue (the chair speaks, the sites listen).</summary>
    public void MuteAllButMainVenue()
    {
        Guid? main;
        lock (_gate)
        {
            main = _selector.MainVenue;
        }

        foreach (var id in Volatile.Read(ref _snapshot).Keys)
        {
            _audio.SetMuted(id, id != main);
        }
    }

    /// <summary>A receiver asked for a keyframe (its PLI/FIR, or a phone's INFO): passed on to the source it watches.</summary>
    public void OnKeyFrameWanted(ConferenceLeg receiver)
    {
        if (Volatile.Read(ref _snapshot).TryGetValue(receiver.Id, out var entry) && entry.Route is { } route && (route.Pending ?? route.Current) is { } source)
        {
            RequestKeyFrameFrom(source, force: false);
        }
    }

    public RoomLiveView View()
    {
        lock (_gate)
        {
            var legs = _legs.Values.Select(e => new LegView(
                e.Leg.Id,
                e.Leg.Kind,
                e.Leg.DisplayName,
                e.Leg.EndpointId,
                e.Leg.SiteId,
                e.Leg.State,
                e.Leg.JoinedUtc,
                e.Leg.PublishesVideo,
                e.Leg.ReceivesVideo,
                _audio.IsMuted(e.Leg.Id),
                Math.Round(_audio.Level(e.Leg.Id), 4),
                e.Route?.Current,
                e.Route?.LastSwitchMilliseconds,
                e.Leg.Statistics.Snapshot())).ToList();
            var polling = _polling is { } p ? new PollingView([.. p.Sites], (int)p.Interval.TotalSeconds, p.Current) : null;
            return new RoomLiveView(_selector.Mode, _selector.MainVenue, _selector.RollCall, polling, _selector.Featured, _selector.ActiveSpeaker, Locked, PinHash is not null, legs);
        }
    }

    // ---- media path (receive loops) ----

    public void OnVideo(ConferenceLeg from, ReadOnlySpan<byte> rtp)
    {
        if (RtpHeader.TryParse(rtp, out var header))
        {
            from.VideoParameterSets.Observe(header.Payload(rtp));
        }

        foreach (var entry in Volatile.Read(ref _snapshot).Values)
        {
            if (entry.Route is { } route && route.Wants(from.Id))
            {
                route.OnVideo(from, rtp);
            }
        }
    }

    public void OnAudio(ConferenceLeg from, ReadOnlySpan<byte> rtp)
    {
        if (RtpHeader.TryParse(rtp, out var header))
        {
            _audio.Push(from.Id, header.Payload(rtp), header.SequenceNumber, header.Timestamp, header.PayloadType, header.Marker);
        }
    }

    public void OnRtcp(ConferenceLeg from, ReadOnlySpan<byte> rtcp)
    {
        var reader = new RtcpReader(rtcp);
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[8];
        Span<ushort> lost = stackalloc ushort[64];
        while (reader.TryRead(out var packet))
        {
            if ((packet.IsPli || packet.IsFir) && packet.MediaSsrc == from.OutboundVideoSsrc)
            {
                OnKeyFrameWanted(from);
            }
            else if (packet.IsFir && packet.MediaSsrc == 0)
            {
                OnKeyFrameWanted(from); // RFC 5104 FIR carries the media SSRC in its FCI; the header field is 0
            }
            else if (packet.IsNack && packet.MediaSsrc == from.OutboundVideoSsrc
                && Volatile.Read(ref _snapshot).TryGetValue(from.Id, out var entry) && entry.Route is { } route)
            {
                var count = RtcpReader.ReadNack(rtcp, packet, lost);
                route.Retransmit(lost[..count]);
            }
            else if (packet.PacketType is RtcpType.ReceiverReport or RtcpType.SenderReport)
            {
                var count = RtcpReader.ReadReportBlocks(rtcp, packet, blocks);
                foreach (var block in blocks[..count])
                {
                    if (block.Ssrc == from.OutboundAudioSsrc || block.Ssrc == from.OutboundVideoSsrc)
                    {
                        from.Statistics.OnReportBlock(block.LastSr, block.DelaySinceLastSr);
                    }
                }
            }
        }
    }

    public void OnEnded(ConferenceLeg leg, string reason) => RemoveLeg(leg.Id, reason);

    // ---- internals ----

    private ControlResult Command(Guid? legId, bool requireVideo, Action change)
    {
        lock (_gate)
        {
            if (legId is { } id)
            {
                if (!_legs.TryGetValue(id, out var entry))
                {
                    return ControlResult.NoSuchLeg;
                }

                if (requireVideo && !entry.Leg.PublishesVideo)
                {
                    return ControlResult.NotAVideoSource;
                }
            }

            change();
            Reselect();
            return ControlResult.Done;
        }
    }

    private void ForgetLeg(Guid legId)
    {
        _selector.Remove(legId);
        _speakers.Forget(legId);
        if (_polling is { } polling)
        {
            polling.Remove(legId, Environment.TickCount64);
            if (polling.IsOver)
            {
                _polling = null;
            }

            _selector.PolledSite = _polling?.Current;
        }

        _audio.RemoveLeg(legId);
        _lastKeyFrameRequest.TryRemove(legId, out _);
        foreach (var entry in _legs.Values)
        {
            entry.Route?.SourceGone(legId);
        }
    }

    /// <summary>Copy-on-write view of the legs for the media path (no lock per packet).</summary>
    private void Publish() => Volatile.Write(ref _snapshot, new Dictionary<Guid, LegEntry>(_legs));

    /// <summary>Under the gate: recomputes every receiver's source and asks new sources for a keyframe.</summary>
    private void Reselect()
    {
        if (_selector.MainVenue is null && _selector.Publishers.Count > 0)
        {
            _selector.SetMainVenue(_selector.Publishers[0]); // the first site with a camera until the chair says otherwise
        }

        _selector.Commit();
        foreach (var entry in _legs.Values)
        {
            if (entry.Route is { } route && route.Choose(_selector.SourceFor(entry.Leg.Id, entry.Leg.Companion)) && route.Pending is { } source)
            {
                RequestKeyFrameFrom(source, force: true);
            }
        }
    }

    /// <summary>
    /// Once a second, every receiver's route is checked against what the selector says it should show and corrected
    /// (idempotent: a route already showing or waiting for its source is left alone). Joins and leaves reselect at
    /// once; this is the safety net for a change that slipped between two of them, so no receiver stays without a
    /// picture while the room has one for it.
    /// </summary>
    private void Reconcile()
    {
        lock (_gate)
        {
            Reselect();
        }
    }

    private void RequestKeyFrameFrom(Guid source, bool force)
    {
        var now = Environment.TickCount64;
        var last = _lastKeyFrameRequest.GetValueOrDefault(source);
        if (!force && now - last < 200)
        {
            return; // several receivers asking at once: one request is enough
        }

        _lastKeyFrameRequest[source] = now;
        if (Volatile.Read(ref _snapshot).TryGetValue(source, out var entry))
        {
            entry.Leg.RequestKeyFrame();
        }
        else if (_legs.TryGetValue(source, out var fresh))
        {
            fresh.Leg.RequestKeyFrame();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(TickMilliseconds));
        var started = Stopwatch.GetTimestamp();
        long done = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Catch up after a late wake-up (a busy machine), but never more than 100 ms at once.
                var due = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds / TickMilliseconds;
                if (due - done > 5)
                {
                    done = due - 5;
                }

                while (done < due)
                {
                    done++;
                    Guarded(AudioTick);
                    if (done % 10 == 0)
                    {
                        Guarded(Maintain);
                    }

                    if (done % 50 == 0)
                    {
                        Guarded(SendReports);
                        Guarded(RemoveSilentLegs);
                        Guarded(Reconcile);
                    }

                    if (done % 100 == 0 && LegCount > 0)
                    {
                        Guarded(() =>
                        {
                            var view = View();
                            Raise(() => StatsReady?.Invoke(this, view));
                        });
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Guarded(Action work)
    {
        try
        {
            work();
        }
#pragma warning disable CA1031 // The room's clock must survive any one leg's failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogTickFailed(_logger, Id, ex);
        }
    }

    private void AudioTick()
    {
        var legs = Volatile.Read(ref _snapshot);
        _audio.Tick((legId, frame) =>
        {
            if (legs.TryGetValue(legId, out var entry) && entry.Leg.ReceivesAudio)
            {
                entry.Audio.Send(entry.Leg, frame);
            }
        });
    }

    private void Maintain()
    {
        var now = Environment.TickCount64;
        var legs = Volatile.Read(ref _snapshot);
        var levels = new Dictionary<Guid, double>(legs.Count);
        foreach (var id in legs.Keys)
        {
            if (legs[id].Leg.PublishesAudio && !_audio.IsMuted(id))
            {
                levels[id] = _audio.Level(id);
            }
        }

        Guid? speaker = null;
        var speakerChanged = false;
        lock (_gate)
        {
            if (_speakers.Update(levels, now))
            {
                speaker = _speakers.Current;
                speakerChanged = true;
                _selector.SetActiveSpeaker(speaker);
                Reselect();
            }

            if (_polling is { } polling && polling.Advance(now))
            {
                _selector.PolledSite = polling.Current;
                Reselect();
            }

            foreach (var entry in _legs.Values)
            {
                if (entry.Route is { Pending: { } pending } route && now - route.PendingSince >= _options.KeyFrameRetryMilliseconds
                    && now - _lastKeyFrameRequest.GetValueOrDefault(pending) >= _options.KeyFrameRetryMilliseconds)
                {
                    RequestKeyFrameFrom(pending, force: true);
                }
            }
        }

        if (speakerChanged)
        {
            Raise(() => SpeakerChanged?.Invoke(this, speaker));
        }
    }

    /// <summary>Sender reports on our outgoing streams (RFC 3550 §6.4.1): receivers' RRs then give us the RTT.</summary>
    private void SendReports()
    {
        var now = DateTime.UtcNow;
        var seconds = (ulong)(now - DateTime.UnixEpoch).TotalSeconds + 2_208_988_800UL;
        var fraction = (ulong)(now.Ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / (ulong)TimeSpan.TicksPerSecond;
        var ntp = (seconds << 32) | fraction;
        var lsr = (uint)(ntp >> 16);
        Span<byte> report = stackalloc byte[28];
        foreach (var entry in Volatile.Read(ref _snapshot).Values)
        {
            var leg = entry.Leg;
            if (leg.ReceivesAudio && entry.Audio.Packets > 0)
            {
                RtcpWriter.WriteSenderReport(report, leg.OutboundAudioSsrc, ntp, entry.Audio.TimestampNow(), entry.Audio.Packets, entry.Audio.Octets);
                if (leg.SendRtcp(report, video: false))
                {
                    leg.Statistics.OnSenderReportSent(lsr);
                }
            }

            if (entry.Route is { } route && route.TryOutputTimestamp(out var ts, out var packets, out var octets))
            {
                RtcpWriter.WriteSenderReport(report, leg.OutboundVideoSsrc, ntp, ts, packets, octets);
                if (leg.SendRtcp(report, video: true))
                {
                    leg.Statistics.OnSenderReportSent(lsr);
                }
            }
        }
    }

    /// <summary>A SIP leg whose RTP stopped (phone gone without BYE, BYE lost) leaves with <c>timeout</c>.</summary>
    private void RemoveSilentLegs()
    {
        var now = Environment.TickCount64;
        var limit = _options.RtpTimeoutSeconds * 1000L;
        foreach (var entry in Volatile.Read(ref _snapshot).Values)
        {
            // A phone that has not sent its first packet yet gets a longer grace (a slow start is not a dead phone).
            var allowed = entry.Leg.LastMediaTicks == entry.Leg.JoinedTicks ? Math.Max(limit, FirstMediaGraceMilliseconds) : limit;
            if (entry.Leg.Kind == LegKind.Sip && now - entry.Leg.LastMediaTicks > allowed)
            {
                RemoveLeg(entry.Leg.Id, LeaveReasons.Timeout);
            }
        }
    }

    private void Raise(Action raise)
    {
        try
        {
            raise();
        }
#pragma warning disable CA1031 // A listener (journal, console push) failing must not disturb the media.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogTickFailed(_logger, Id, ex);
        }
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Room {RoomId}: {Kind} leg {LegId} ({DisplayName}) joined")]
    private static partial void LogLegJoined(ILogger logger, Guid roomId, Guid legId, LegKind kind, string displayName);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Room {RoomId}: leg {LegId} left ({Reason})")]
    private static partial void LogLegLeft(ILogger logger, Guid roomId, Guid legId, string reason);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Room {RoomId}: a tick or listener failed")]
    private static partial void LogTickFailed(ILogger logger, Guid roomId, Exception exception);

    private sealed class LegEntry(ConferenceLeg leg, VideoRoute? route)
    {
        public ConferenceLeg Leg { get; } = leg;

        public VideoRoute? Route { get; } = route;

        public AudioOut Audio { get; } = new();
    }

    /// <summary>The audio stream a leg receives: our own timeline (160 samples per 20 ms frame).</summary>
    private sealed class AudioOut
    {
        private readonly byte[] _packet = new byte[RtpHeader.FixedLength + G711.FrameBytes];
        private ushort _sequence = (ushort)Random.Shared.Next(0, 65536);
        private uint _timestamp = (uint)Random.Shared.Next();
        private long _lastTicks;

        public uint Packets { get; private set; }

        public uint Octets { get; private set; }

        public uint TimestampNow() => _timestamp + (uint)((Environment.TickCount64 - Volatile.Read(ref _lastTicks)) * 8);

        public void Send(ConferenceLeg leg, ReadOnlySpan<byte> frame)
        {
            _sequence++;
            _timestamp += SamplesPerFrame;
            RtpWriter.WriteHeader(_packet, Packets == 0, leg.OutboundAudioPayloadType, _sequence, _timestamp, leg.OutboundAudioSsrc);
            frame.CopyTo(_packet.AsSpan(RtpHeader.FixedLength));
            if (leg.SendAudio(_packet.AsSpan(0, RtpHeader.FixedLength + frame.Length)))
            {
                Packets++;
                Octets += (uint)frame.Length;
            }

            Volatile.Write(ref _lastTicks, Environment.TickCount64);
        }
    }
}

public sealed record PollingView(IReadOnlyList<Guid> LegIds, int IntervalSeconds, Guid? Current);

public sealed record LegView(
    Guid Id,
    LegKind Kind,
    string DisplayName,
    Guid? EndpointId,
    Guid? SiteId,
    string State,
    DateTime JoinedUtc,
    bool SendsVideo,
    bool ReceivesVideo,
    bool Muted,
    double Level,
    Guid? Watching,
    long? LastSwitchMilliseconds,
    LegStatsView Stats);

public sealed record RoomLiveView(
    VideoMode Mode,
    Guid? MainVenue,
    Guid? RollCall,
    PollingView? Polling,
    Guid? Featured,
    Guid? ActiveSpeaker,
    bool Locked,
    bool HasPin,
    IReadOnlyList<LegView> Legs);

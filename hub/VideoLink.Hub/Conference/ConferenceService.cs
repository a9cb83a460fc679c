using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Realtime;
using VideoLink.Hub.Rooms;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Media;

namespace VideoLink.Hub.Conference;

/// <summary>
/// The live rooms of this media node (the seam for placing rooms on other nodes later). Opens a room's live state on
/// first use, joins WebRTC legs, ends rooms; writes every join and leave through <see cref="LegIntervalJournal"/> in
/// order (one writer), and pushes joined / left / speaking / stats / DTMF events to the consoles of the room's
/// subtree (<see cref="OrgTreeBroadcaster"/>).
/// </summary>
public sealed partial class ConferenceService : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, ConferenceRoom> _rooms = new();
    private readonly Channel<Func<CancellationToken, Task>> _journalWrites = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly WebRtcEndpoint _endpoint;
    private readonly LegIntervalJournal _journal;
    private readonly OrgTreeBroadcaster _broadcaster;
    private readonly Func<IRoomAudio> _audioFactory;
    private readonly ConferenceOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Task _journalLoop;

    private volatile bool _shuttingDown;

    public ConferenceService(WebRtcEndpoint endpoint, LegIntervalJournal journal, OrgTreeBroadcaster broadcaster, Func<IRoomAudio> audioFactory,
        IOptions<ConferenceOptions> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        // At shutdown the media stops under the legs; their intervals stay open and become hub-restart at the next start.
        lifetime.ApplicationStopping.Register(() => _shuttingDown = true);
        _endpoint = endpoint;
        _journal = journal;
        _broadcaster = broadcaster;
        _audioFactory = audioFactory;
        _options = options.Value;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ConferenceService>();
        _journalLoop = Task.Run(() => WriteIntervalsAsync(_stopping.Token));
    }

    /// <summary>The live room, created on first use from its stored row.</summary>
    /// <summary>The live room for a stored room, made on first use with the row's lock and PIN.</summary>
    internal ConferenceRoom Open(Room row) =>
        _rooms.GetOrAdd(row.Id, _ =>
        {
            var room = new ConferenceRoom(row.Id, row.Name, row.OrgPath, row.SipNumber, _audioFactory(), _options, _loggers.CreateLogger<ConferenceRoom>())
            {
                Locked = row.Locked,
                PinHash = row.PinHash,
            };
            Wire(room);
            return room;
        });

    internal ConferenceRoom? Find(Guid id) => _rooms.TryGetValue(id, out var room) ? room : null;

    internal ConferenceRoom? FindByNumber(string sipNumber) => _rooms.Values.FirstOrDefault(r => r.SipNumber == sipNumber && !r.IsEnded);

    /// <summary>Live view of a room, or null when nobody has joined since the hub started.</summary>
    public RoomLiveView? View(Guid id) => Find(id)?.View();

    /// <summary>
    /// A browser or WHIP/WHEP tool joins: the offer's directions decide whether the leg publishes, receives or both.
    /// Never throws for a bad offer (see <see cref="CreatePeerResult"/>).
    /// </summary>
    internal CreatePeerResult JoinWebRtc(ConferenceRoom room, string offerSdp, string displayName, string? owner = null, Guid? companion = null,
        Guid? siteId = null, Guid? endpointId = null)
    {
        var result = _endpoint.CreatePeer(offerSdp);
        if (result.Peer is { } peer)
        {
            var leg = new WebRtcLeg(peer, displayName) { Owner = owner, Companion = companion, SiteId = siteId, EndpointId = endpointId };
            if (!room.AddLeg(leg))
            {
                peer.Close();
            }
            else
            {
                // A late joiner gets a keyframe as soon as its SRTP is up (the route waits for one).
                _ = peer.WhenConnected.ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        room.OnKeyFrameWanted(leg);
                    }
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default); // fire-and-forget: only asks for a keyframe
            }
        }

        return result;
    }

    /// <summary>Removes a leg by its id (WHIP/WHEP DELETE, the chair's kick); false if not in the room.</summary>
    public bool Leave(Guid roomId, Guid legId, string reason) => Find(roomId)?.RemoveLeg(legId, reason) == true;

    /// <summary>
    /// Ends a room: every leg leaves with <c>room-ended</c>, and any interval still open is closed. Returns once those
    /// interval ends are written, so whoever ended the room (the chair, a booking's end) can report attendance at once.
    /// </summary>
    public async Task EndAsync(Guid roomId, CancellationToken cancellationToken)
    {
        if (_rooms.TryRemove(roomId, out var room))
        {
            await room.EndAsync(LeaveReasons.RoomEnded).WaitAsync(cancellationToken);
            await room.DisposeAsync();
        }

        await _journalWrites.Writer.WriteAsync(ct => _journal.CloseRoomAsync(roomId, LeaveReasons.RoomEnded, ct), cancellationToken);
        await FlushIntervalsAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _shuttingDown = true;
        foreach (var room in _rooms.Values)
        {
            // Shutdown: intervals stay open on purpose and are closed as hub-restart at the next start.
            await room.DisposeAsync();
        }

        _rooms.Clear();
        _journalWrites.Writer.TryComplete();
        try
        {
            await _journalLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    private void Wire(ConferenceRoom room)
    {
        room.LegJoined += (_, leg) =>
        {
            if (_shuttingDown)
            {
                return;
            }

            var identity = new LegIdentity(leg.Id, leg.Kind.ToString(), leg.DisplayName, leg.EndpointId, leg.SiteId);
            _journalWrites.Writer.TryWrite(ct => _journal.OpenAsync(room.Id, identity, ct));
            Push(room, "roomLegJoined", new { roomId = room.Id, legId = leg.Id, kind = leg.Kind, displayName = leg.DisplayName, endpointId = leg.EndpointId, siteId = leg.SiteId });
        };
        room.LegLeft += (_, e) =>
        {
            if (_shuttingDown)
            {
                return;
            }

            _journalWrites.Writer.TryWrite(ct => _journal.CloseAsync(e.Leg.Id, e.Reason, ct));
            Push(room, "roomLegLeft", new { roomId = room.Id, legId = e.Leg.Id, reason = e.Reason });
        };
        room.SpeakerChanged += (_, speaker) => Push(room, "roomSpeaking", new { roomId = room.Id, legId = speaker });
        room.Dtmf += (_, e) => Push(room, "roomDtmf", new { roomId = room.Id, legId = e.LegId, digit = e.Digit.ToString() });
        room.StatsReady += (_, view) => Push(room, "roomStats", new { roomId = room.Id, legs = view.Legs });
    }

    private void Push(ConferenceRoom room, string method, object payload) =>
        _ = PushAsync(room.OrgPath, method, payload); // fire-and-forget: console pushes are best effort and log their failures

    private async Task PushAsync(string orgPath, string method, object payload)
    {
        try
        {
            await _broadcaster.SendAsync(orgPath, method, payload, _stopping.Token);
        }
#pragma warning disable CA1031 // A console push failing must not disturb the room.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPushFailed(_logger, method, ex);
        }
    }

    /// <summary>One writer, in order: a leg's close never overtakes its open.</summary>
    private async Task WriteIntervalsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var write in _journalWrites.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await write(cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed interval write is logged; the next ones still go.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogJournalFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until every interval write queued so far is done (tests, shutdown).</summary>
    internal async Task FlushIntervalsAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _journalWrites.Writer.WriteAsync(_ =>
        {
            done.TrySetResult();
            return Task.CompletedTask;
        }, cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1911, Level = LogLevel.Warning, Message = "Console push {Method} failed")]
    private static partial void LogPushFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 1912, Level = LogLevel.Error, Message = "Writing a leg interval failed")]
    private static partial void LogJournalFailed(ILogger logger, Exception exception);
}

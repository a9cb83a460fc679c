using System.Collections.Concurrent;
using VideoLink.Media;
using VideoLink.Media.Routing;

namespace VideoLink.Hub.Rooms;

public enum LegRole
{
    Publisher,
    Subscriber,
}

public sealed record LegInfo(string Id, LegRole Role, string State);

/// <summary>
/// The live WebRTC legs of the rooms on this media node. Until the conference router lands (issue 5), a subscriber
/// receives, for each media kind it asked for, the room's first publisher that sends that kind (a tool that publishes
/// audio and video on separate connections, like aiortc, is served too); when that publisher leaves, subscribers
/// move to the next one.
/// </summary>
public sealed partial class RoomMedia(WebRtcEndpoint endpoint, ILogger<RoomMedia> logger)
{
    private readonly ConcurrentDictionary<Guid, LiveRoom> _rooms = new();

    public CreatePeerResult Join(Guid roomId, LegRole role, string offerSdp)
    {
        var result = endpoint.CreatePeer(offerSdp);
        if (result.Peer is { } peer)
        {
            var room = _rooms.GetOrAdd(roomId, _ => new LiveRoom());
            room.Add(peer, role);
            peer.Closed += (_, _) => room.Remove(peer.Id);
            LogJoined(logger, roomId, role, peer.Id);
        }

        return result;
    }

    public bool Leave(Guid roomId, string legId) => _rooms.TryGetValue(roomId, out var room) && room.Remove(legId);

    public IReadOnlyList<LegInfo> Legs(Guid roomId) => _rooms.TryGetValue(roomId, out var room) ? room.Legs() : [];

    public void Close(Guid roomId)
    {
        if (_rooms.TryRemove(roomId, out var room))
        {
            room.CloseAll();
        }
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Room {RoomId}: {Role} leg {LegId} joined")]
    private static partial void LogJoined(ILogger logger, Guid roomId, LegRole role, string legId);

    private sealed class LiveRoom
    {
        private readonly Lock _gate = new();
        private readonly List<WebRtcPeer> _publishers = [];
        private readonly Dictionary<string, WebRtcPeer> _subscribers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(WebRtcPeer Source, MediaForwarder Forwarder)>> _forwarders = new(StringComparer.Ordinal);

        public void Add(WebRtcPeer peer, LegRole role)
        {
            lock (_gate)
            {
                if (role == LegRole.Publisher)
                {
                    _publishers.Add(peer);
                    foreach (var subscriber in _subscribers.Values)
                    {
                        Attach(subscriber);
                    }
                }
                else
                {
                    _subscribers[peer.Id] = peer;
                    Attach(peer);
                }
            }
        }

        public bool Remove(string legId)
        {
            WebRtcPeer? closing = null;
            lock (_gate)
            {
                if (_subscribers.Remove(legId, out var subscriber))
                {
                    Detach(legId);
                    closing = subscriber;
                }
                else if (_publishers.FindIndex(p => p.Id == legId) is var index and >= 0)
                {
                    closing = _publishers[index];
                    _publishers.RemoveAt(index);

                    // A watched publisher may have left: every subscriber is re-attached (a keyframe is asked for).
                    foreach (var remaining in _subscribers.Values)
                    {
                        Attach(remaining);
                    }
                }
            }

            closing?.Close();
            return closing is not null;
        }

        public IReadOnlyList<LegInfo> Legs()
        {
            lock (_gate)
            {
                return
                [
                    .. _publishers.Select(p => new LegInfo(p.Id, LegRole.Publisher, p.State.ToString())),
                    .. _subscribers.Values.Select(p => new LegInfo(p.Id, LegRole.Subscriber, p.State.ToString())),
                ];
            }
        }

        public void CloseAll()
        {
            List<WebRtcPeer> all;
            lock (_gate)
            {
                all = [.. _publishers, .. _subscribers.Values];
                foreach (var (_, forwarder) in _forwarders.Values.SelectMany(f => f))
                {
                    forwarder.Dispose();
                }

                _forwarders.Clear();
            }

            foreach (var peer in all)
            {
                peer.Close();
            }
        }

        /// <summary>
        /// Per kind the subscriber receives, the first publisher sending that kind; one forwarder per source. Nothing
        /// changes when the sources are the same, so a running stream is not restarted by an unrelated join.
        /// </summary>
        private void Attach(WebRtcPeer subscriber)
        {
            var sources = new List<WebRtcPeer>();
            if (subscriber.Audio is not null && _publishers.FirstOrDefault(p => p.Audio is not null) is { } audio)
            {
                sources.Add(audio);
            }

            if (subscriber.Video is not null && _publishers.FirstOrDefault(p => p.Video is not null) is { } video && !sources.Contains(video))
            {
                sources.Add(video);
            }

            if (_forwarders.TryGetValue(subscriber.Id, out var current) && current.Select(c => c.Source).SequenceEqual(sources))
            {
                return;
            }

            Detach(subscriber.Id);
            if (sources.Count > 0)
            {
                _forwarders[subscriber.Id] = sources.Select(source => (source, new MediaForwarder(source, subscriber))).ToList();
            }
        }

        private void Detach(string subscriberId)
        {
            if (_forwarders.Remove(subscriberId, out var forwarders))
            {
                foreach (var (_, forwarder) in forwarders)
                {
                    forwarder.Dispose();
                }
            }
        }
    }
}

using VideoLink.LoadGen.Peers;

namespace VideoLink.LoadGen.Targets;

/// <summary>A forwarding server under test: how to make a room, publish into it and subscribe N receivers.</summary>
internal interface IConferenceTarget
{
    /// <summary>Short name for the results table.</summary>
    string Name { get; }

    /// <summary>The server's process id, for CPU and RSS from procfs.</summary>
    int ProcessId { get; }

    /// <summary>A fresh room for one run.</summary>
    Task OpenRoomAsync(CancellationToken cancellationToken);

    /// <summary>Signals the publisher (its offer in, the server's answer back) and starts the peer's ICE.</summary>
    Task PublishAsync(LoadPeer publisher, string offer, CancellationToken cancellationToken);

    /// <summary>Signals one receiver and starts its ICE; the caller connects it.</summary>
    Task SubscribeAsync(LoadPeer receiver, CancellationToken cancellationToken);

    /// <summary>The address our sockets bind to: one the server's candidates can reach and answer from.</summary>
    System.Net.IPAddress PeerAddress { get; }

    /// <summary>
    /// True if the receivers may share one socket behind a <see cref="Peers.ReceiverHost"/> (each on an address of its
    /// own). Janus (libnice) answered the shared socket's checks but its replies to those addresses never arrived there,
    /// so its receivers keep a socket each.
    /// </summary>
    bool AcceptsSharedReceivers { get; }

    /// <summary>True if the server is a full ICE agent whose own check must reach us before DTLS starts.</summary>
    bool IsFullIceAgent { get; }

    /// <summary>Packets the server itself counts as dropped on sending (the hub's SendQueueFull); null if it does not say.</summary>
    Task<long?> SendDropsAsync(CancellationToken cancellationToken);

    /// <summary>Ends the room and every leg in it.</summary>
    Task CloseRoomAsync(CancellationToken cancellationToken);
}

namespace VideoLink.Hub.Conference;

/// <summary>How a room chooses the video everyone sees, when no roll call or polling is running.</summary>
public enum VideoMode
{
    /// <summary>主会场: everyone sees the main venue; the main venue sees the last other speaker (or the called site).</summary>
    MainVenue,

    /// <summary>语音激励: everyone sees the active speaker (with hysteresis); the speaker sees the previous one.</summary>
    VoiceActivated,
}

/// <summary>
/// Per-receiver video choice of one room — pure state, no media, so every rule is unit-tested. Precedence: a roll
/// call (点名) shows the called site to everyone, main venue included; otherwise polling (轮巡) shows the current
/// polled site; otherwise the <see cref="VideoMode"/> decides the featured site. Nobody is shown themselves: the
/// featured site sees the main venue, else the last other speaker, else the previously featured site, else the
/// first other publisher — which makes a two-leg room (a consultation) show each side the other.
/// Not thread-safe: the room calls it under its own lock.
/// </summary>
public sealed class VideoSelector
{
    private readonly List<Guid> _publishers = [];
    private Guid? _previousFeatured;
    private Guid? _featured;

    public VideoMode Mode { get; set; } = VideoMode.MainVenue;

    public Guid? MainVenue { get; private set; }

    public Guid? RollCall { get; private set; }

    /// <summary>The polled site shown now (set by the room from its <see cref="PollingRotation"/>).</summary>
    public Guid? PolledSite { get; set; }

    /// <summary>The current active speaker (from <see cref="ActiveSpeakerTracker"/>).</summary>
    public Guid? ActiveSpeaker { get; private set; }

    /// <summary>The speaker before the current one (what the active speaker itself sees).</summary>
    public Guid? PreviousSpeaker { get; private set; }

    public IReadOnlyList<Guid> Publishers => _publishers;

    /// <summary>A leg that sends video joined (in join order: the first one is the default main venue).</summary>
    public void AddPublisher(Guid legId)
    {
        if (!_publishers.Contains(legId))
        {
            _publishers.Add(legId);
        }
    }

    /// <summary>A leg left: every role it held is cleared.</summary>
    public void Remove(Guid legId)
    {
        _publishers.Remove(legId);
        if (MainVenue == legId)
        {
            MainVenue = null;
        }

        if (RollCall == legId)
        {
            RollCall = null;
        }

        if (PolledSite == legId)
        {
            PolledSite = null;
        }

        if (ActiveSpeaker == legId)
        {
            ActiveSpeaker = null;
        }

        if (PreviousSpeaker == legId)
        {
            PreviousSpeaker = null;
        }

        if (_previousFeatured == legId)
        {
            _previousFeatured = null;
        }

        if (_featured == legId)
        {
            _featured = null;
        }
    }

    public void SetMainVenue(Guid? legId) => MainVenue = legId;

    public void SetRollCall(Guid? legId) => RollCall = legId;

    public void SetActiveSpeaker(Guid? legId)
    {
        if (legId == ActiveSpeaker)
        {
            return;
        }

        if (ActiveSpeaker is { } current)
        {
            PreviousSpeaker = current;
        }

        ActiveSpeaker = legId;
    }

    /// <summary>The site most receivers see now (null when nobody publishes video).</summary>
    public Guid? Featured
    {
        get
        {
            var featured = RollCall ?? PolledSite ?? (Mode == VideoMode.VoiceActivated ? ActiveSpeaker ?? MainVenue : MainVenue);
            if (featured is { } f && _publishers.Contains(f))
            {
                return f;
            }

            return _publishers.Count > 0 ? _publishers[0] : null;
        }
    }

    /// <summary>
    /// Call once after a change and before <see cref="SourceFor"/>: remembers the featured site before the change so
    /// that the newly featured site can be shown the one it replaced.
    /// </summary>
    public void Commit()
    {
        var now = Featured;
        if (now != _featured)
        {
            if (_featured is { } before && _publishers.Contains(before))
            {
                _previousFeatured = before;
            }

            _featured = now;
        }
    }

    /// <summary>
    /// The leg whose video <paramref name="receiver"/> should see; null when there is nothing but itself. A receiver
    /// that plays for a participant publishing on another leg (<paramref name="companion"/>, WHEP beside WHIP) is that
    /// participant: it is not shown the companion's picture either.
    /// </summary>
    public Guid? SourceFor(Guid receiver, Guid? companion = null)
    {
        bool Self(Guid leg) => leg == receiver || leg == companion;

        var featured = Featured;
        if (featured is { } f && !Self(f))
        {
            return f;
        }

        // The featured site itself (or nobody featured): never its own picture.
        foreach (var candidate in (ReadOnlySpan<Guid?>)[MainVenue, ActiveSpeaker, PreviousSpeaker, _previousFeatured])
        {
            if (candidate is { } c && !Self(c) && _publishers.Contains(c))
            {
                return c;
            }
        }

        foreach (var p in _publishers)
        {
            if (!Self(p))
            {
                return p;
            }
        }

        return null;
    }
}

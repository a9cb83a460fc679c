using VideoLink.Hub.Conference;

namespace VideoLink.Hub.Tests.Conference;

public sealed class VideoSelectorTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();
    private static readonly Guid C = Guid.NewGuid();
    private static readonly Guid D = Guid.NewGuid();

    private static VideoSelector Room(params Guid[] legs)
    {
        var selector = new VideoSelector();
        foreach (var leg in legs)
        {
            selector.AddPublisher(leg);
        }

        selector.Commit();
        return selector;
    }

    [Fact]
    public void TwoLegs_EachSeesTheOther()
    {
        var consultation = Room(A, B);

        Assert.Equal(B, consultation.SourceFor(A));
        Assert.Equal(A, consultation.SourceFor(B));
    }

    [Fact]
    public void TwoParticipantsOnSeparatePublishAndPlayLegs_EachSeesTheOther_NotThemselves()
    {
        // A (kiosk) publishes first and is the main venue; C plays for A, D plays for B (WHEP beside WHIP).
        var consultation = Room(A, B);

        Assert.Equal(B, consultation.SourceFor(C, companion: A));
        Assert.Equal(A, consultation.SourceFor(D, companion: B));
        Assert.Equal(A, consultation.SourceFor(C)); // unpaired, a player gets the featured site — the kiosk's own picture
        Assert.Null(Room(A).SourceFor(C, companion: A)); // alone in the room: nothing rather than a mirror
    }

    [Fact]
    public void MainVenue_EveryoneSeesIt_AndItSeesTheLastOtherSpeaker()
    {
        var room = Room(A, B, C, D);
        room.SetMainVenue(B);
        room.SetActiveSpeaker(D);
        room.Commit();

        Assert.Equal(B, room.SourceFor(A));
        Assert.Equal(B, room.SourceFor(C));
        Assert.Equal(B, room.SourceFor(D));
        Assert.Equal(D, room.SourceFor(B));
    }

    [Fact]
    public void MainVenue_WithNobodySpeaking_SeesAnotherSiteNotItself()
    {
        var room = Room(A, B, C);
        room.SetMainVenue(A);
        room.Commit();

        var seen = room.SourceFor(A);

        Assert.NotNull(seen);
        Assert.NotEqual(A, seen);
    }

    [Fact]
    public void RollCall_EveryoneIncludingMainVenueSeesTheCalledSite_WhichSeesTheMainVenue()
    {
        var room = Room(A, B, C, D);
        room.SetMainVenue(A);
        room.SetRollCall(C);
        room.Commit();

        Assert.Equal(C, room.SourceFor(A));
        Assert.Equal(C, room.SourceFor(B));
        Assert.Equal(C, room.SourceFor(D));
        Assert.Equal(A, room.SourceFor(C));
    }

    [Fact]
    public void RollCall_Ended_ReturnsToTheMainVenue()
    {
        var room = Room(A, B, C);
        room.SetMainVenue(A);
        room.SetRollCall(C);
        room.Commit();
        room.SetRollCall(null);
        room.Commit();

        Assert.Equal(A, room.SourceFor(B));
        Assert.Equal(A, room.SourceFor(C));
    }

    [Fact]
    public void Polling_ShowsThePolledSite_AndRollCallOverridesIt()
    {
        var room = Room(A, B, C, D);
        room.SetMainVenue(A);
        room.PolledSite = B;
        room.Commit();
        Assert.Equal(B, room.SourceFor(A));
        Assert.Equal(B, room.SourceFor(C));
        Assert.Equal(A, room.SourceFor(B));

        room.SetRollCall(D);
        room.Commit();
        Assert.Equal(D, room.SourceFor(B));
    }

    [Fact]
    public void VoiceActivated_EveryoneSeesTheSpeaker_TheSpeakerSeesTheMainVenueOrPreviousSpeaker()
    {
        var room = Room(A, B, C, D);
        room.Mode = VideoMode.VoiceActivated;
        room.SetMainVenue(A);
        room.SetActiveSpeaker(C);
        room.Commit();

        Assert.Equal(C, room.SourceFor(A));
        Assert.Equal(C, room.SourceFor(B));
        Assert.Equal(A, room.SourceFor(C));

        room.SetActiveSpeaker(A);
        room.Commit();
        Assert.Equal(A, room.SourceFor(B));
        Assert.Equal(C, room.SourceFor(A)); // the main venue speaking sees the previous speaker
    }

    [Fact]
    public void LegLeaving_ClearsItsRoles_AndNobodyWatchesIt()
    {
        var room = Room(A, B, C);
        room.SetMainVenue(B);
        room.SetRollCall(C);
        room.Commit();

        room.Remove(C);
        room.Remove(B);
        room.Commit();

        Assert.Null(room.RollCall);
        Assert.Null(room.MainVenue);
        Assert.Null(room.SourceFor(A)); // alone: nothing but itself to show
    }

    [Fact]
    public void ReceiverWithoutCamera_SeesTheFeaturedSite()
    {
        var room = Room(A, B);
        room.SetMainVenue(A);
        room.Commit();

        Assert.Equal(A, room.SourceFor(Guid.NewGuid()));
    }
}

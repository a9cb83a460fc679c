using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>
/// baresip (the Debian package) as an audio-only SIP participant: a sine tone as its microphone (ausine), no sound
/// card, and the sndfile module writing what it hears to a WAV file. It dials the room itself and never registers.
/// Started through the SIP tests' <see cref="Baresip"/>; missing baresip fails.
/// </summary>
internal sealed class BaresipParticipant : IAsyncDisposable
{
    private readonly Baresip _baresip;

    private BaresipParticipant(Baresip baresip) => _baresip = baresip;

    public string Directory => _baresip.Directory;

    public string Output => _baresip.Output;

    /// <summary>Starts baresip dialling <paramref name="target"/>; a listen port taken meanwhile by someone else is retried.</summary>
    public static async Task<BaresipParticipant> DialAsync(int sipPort, string user, string password, string target, int toneHz, TimeSpan runFor)
    {
        var options = new BaresipOptions(ToneHz: toneHz, RegisterSeconds: 0, RecordHeard: true);
        for (var attempt = 1; ; attempt++)
        {
            var participant = new BaresipParticipant(Baresip.Start(sipPort, user, password, runFor, string.Empty, options, "/dial " + target));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTime.UtcNow < deadline && !participant.Output.Contains("in use", StringComparison.Ordinal))
            {
                await Task.Delay(100);
            }

            if (!participant.Output.Contains("in use", StringComparison.Ordinal) || attempt == 3)
            {
                return participant;
            }

            await participant.DisposeAsync();
        }
    }

    /// <summary>The WAV file of what baresip decoded from the hub (sndfile's "-dec" dump), once it exists.</summary>
    public string? HeardFile() => System.IO.Directory.GetFiles(Directory, "*dec*.wav").FirstOrDefault();

    /// <summary>Ends the call the way a user would (hang up), then lets baresip finish.</summary>
    public Task HangUpAsync() => _baresip.HangUpAsync();

    public ValueTask DisposeAsync() => _baresip.DisposeAsync();
}

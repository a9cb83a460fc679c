using VideoLink.Sip.Registrar;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Registrar;

public sealed class DigestAuthenticatorTests
{
    private static (DigestAuthenticator Auth, ManualTimeProvider Time) Create()
    {
        var time = new ManualTimeProvider();
        var options = new SipOptions { Domain = "videolink.test", NonceLifetime = TimeSpan.FromMinutes(5) };
        options.DigestAlgorithms = "MD5,SHA-256";
        return (new DigestAuthenticator(options, time), time);
    }

    private static DigestCredentials Credentials(DigestAuthenticator auth, string algorithm, string password, int nc = 1, string? nonce = null)
    {
        string challenge = "WWW-Authenticate: " + auth.CreateChallenges(false).First(c => c.Contains("algorithm=" + algorithm, StringComparison.Ordinal));
        if (nonce is not null)
        {
            challenge = System.Text.RegularExpressions.Regex.Replace(challenge, "nonce=\"[^\"]*\"", $"nonce=\"{nonce}\"");
        }
        string header = TestDigest.Authorization(challenge, "WWW-Authenticate", "REGISTER", "sip:videolink.test", "alice", password, algorithm, nc);
        Assert.True(DigestCredentials.TryParse(header, out var c));
        return c;
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public void Verify_RightPassword_IsOk(string algorithm)
    {
        var (auth, _) = Create();
        Assert.Equal(DigestOutcome.Ok, auth.Verify(Credentials(auth, algorithm, "pw"), "REGISTER", "pw"));
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public void Verify_AccountWithOnlyStoredHa1_IsOk_AndWrongPasswordStillFails(string algorithm)
    {
        var (auth, _) = Create();
        var a1 = System.Text.Encoding.UTF8.GetBytes("alice:videolink.test:pw");
#pragma warning disable CA5351 // RFC 2617 digest is MD5 by definition.
        var account = new SipAccount("alice", null)
        {
            Ha1Md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(a1)),
            Ha1Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(a1)),
        };
#pragma warning restore CA5351

        Assert.Equal(DigestOutcome.Ok, auth.Verify(Credentials(auth, algorithm, "pw"), "REGISTER", account));
        Assert.Equal(DigestOutcome.WrongResponse, auth.Verify(Credentials(auth, algorithm, "nope"), "REGISTER", account));
    }

    [Fact]
    public void Verify_WrongPassword_IsWrongResponse()
    {
        var (auth, _) = Create();
        Assert.Equal(DigestOutcome.WrongResponse, auth.Verify(Credentials(auth, "MD5", "nope"), "REGISTER", "pw"));
    }

    [Fact]
    public void Verify_SameNonceCountTwice_IsReplayButHigherCountIsOk()
    {
        var (auth, _) = Create();
        var first = Credentials(auth, "MD5", "pw");
        Assert.Equal(DigestOutcome.Ok, auth.Verify(first, "REGISTER", "pw"));
        Assert.Equal(DigestOutcome.Replay, auth.Verify(first, "REGISTER", "pw"));
        var second = Credentials(auth, "MD5", "pw", nc: 2, nonce: first.Nonce);
        Assert.Equal(DigestOutcome.Ok, auth.Verify(second, "REGISTER", "pw"));
    }

    [Fact]
    public void Verify_NonceWhoseReplaySlotWasReused_IsStale_AndTheNewNonceWorks()
    {
        var options = new SipOptions { Domain = "videolink.test", NonceLifetime = TimeSpan.FromMinutes(5) };
        var auth = new DigestAuthenticator(options, new ManualTimeProvider(), replaySlots: 4);
        var old = Credentials(auth, "MD5", "pw");
        for (int i = 0; i < 4; i++)
        {
            auth.NewNonce(); // four later challenges: the fourth takes the old nonce's slot
        }
        var fresh = Credentials(auth, "MD5", "pw");

        Assert.Equal(DigestOutcome.Stale, auth.Verify(old, "REGISTER", "pw"));
        Assert.Equal(DigestOutcome.Ok, auth.Verify(fresh, "REGISTER", "pw"));
        Assert.Equal(DigestOutcome.Replay, auth.Verify(fresh, "REGISTER", "pw"));
    }

    [Fact]
    public void Verify_ManyNoncesConcurrently_EachCountAcceptedOnce()
    {
        var (auth, _) = Create();
        var credentials = Enumerable.Range(0, 200).Select(_ => Credentials(auth, "MD5", "pw")).ToArray();
        int ok = 0, replay = 0;
        Parallel.For(0, credentials.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var outcome = auth.Verify(credentials[i % credentials.Length], "REGISTER", "pw");
            Interlocked.Increment(ref outcome == DigestOutcome.Ok ? ref ok : ref replay);
        });

        Assert.Equal(credentials.Length, ok);
        Assert.Equal(credentials.Length * 3, replay);
    }

    [Fact]
    public void Verify_AfterNonceLifetime_IsStale()
    {
        var (auth, time) = Create();
        var c = Credentials(auth, "MD5", "pw");
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(DigestOutcome.Stale, auth.Verify(c, "REGISTER", "pw"));
    }

    [Fact]
    public void Verify_ForgedNonce_IsInvalid()
    {
        var (auth, _) = Create();
        var c = Credentials(auth, "MD5", "pw", nonce: new string('0', 64));
        Assert.Equal(DigestOutcome.Invalid, auth.Verify(c, "REGISTER", "pw"));
    }

    [Theory]
    [InlineData("Basic YWxhZGRpbjpvcGVuc2VzYW1l")]
    [InlineData("Digest username=\"a\"")]
    [InlineData("Digest username=\"a, nonce=\"x\", response=\"y\"")]
    public void Parse_BrokenAuthorization_IsRejected(string header) => Assert.False(DigestCredentials.TryParse(header, out _));
}

using VideoLink.Media.Srtp;

namespace VideoLink.Media.Tests.Srtp;

public sealed class AesCounterModeTests
{
    [Fact]
    public void Xor_VectorisedPath_MatchesTheByteLoop_ForEveryLengthAndOffset()
    {
        var random = new Random(3711);
        for (var length = 0; length <= 200; length++)
        {
            var data = new byte[length];
            var keystream = new byte[length];
            random.NextBytes(data);
            random.NextBytes(keystream);
            var expected = data.Select((b, i) => (byte)(b ^ keystream[i])).ToArray();

            AesCounterMode.Xor(data, keystream);

            Assert.Equal(expected, data);
        }
    }
}

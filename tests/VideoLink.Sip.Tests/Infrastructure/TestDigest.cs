using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>An independent RFC 7616 digest client for tests (not the server's code).</summary>
public static partial class TestDigest
{
    public static string Authorization(string challengeResponse, string header, string method, string uri, string user, string password, string algorithm = "MD5", int nc = 1)
    {
        string challenge = FindChallenge(challengeResponse, header, algorithm);
        string realm = Param(challenge, "realm");
        string nonce = Param(challenge, "nonce");
        string cnonce = "0a4f113b";
        string ncText = nc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        string ha1 = H(algorithm, $"{user}:{realm}:{password}");
        string ha2 = H(algorithm, $"{method}:{uri}");
        string response = H(algorithm, $"{ha1}:{nonce}:{ncText}:{cnonce}:auth:{ha2}");
        return $"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={algorithm}, cnonce=\"{cnonce}\", qop=auth, nc={ncText}";
    }

    public static string FindChallenge(string response, string header, string algorithm)
    {
        foreach (string line in response.Split("\r\n"))
        {
            if (line.StartsWith(header + ":", StringComparison.OrdinalIgnoreCase) && line.Contains("algorithm=" + algorithm, StringComparison.Ordinal))
            {
                return line;
            }
        }
        Assert.Fail($"No {header} with {algorithm} in:\n{response}");
        return "";
    }

    private static string Param(string header, string name) => Regex.Match(header, name + "=\"([^\"]*)\"").Groups[1].Value;

    private static string H(string algorithm, string s)
    {
        byte[] input = Encoding.UTF8.GetBytes(s);
#pragma warning disable CA5351 // MD5 is what the protocol uses.
        return Convert.ToHexStringLower(algorithm == "SHA-256" ? SHA256.HashData(input) : MD5.HashData(input));
#pragma warning restore CA5351
    }

    public static string Header(string message, string name)
    {
        foreach (string line in message.Split("\r\n"))
        {
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                return line[(name.Length + 1)..].Trim();
            }
        }
        return "";
    }
}

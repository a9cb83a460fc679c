using System.Net;

namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>REGISTER flows over a <see cref="RawPeer"/>, with the digest computed by <see cref="TestDigest"/>.</summary>
public sealed class RawRegistration(RawPeer peer, IPEndPoint server, string user, string password)
{
    private readonly string _callId = Guid.NewGuid().ToString("N") + "@raw";
    private int _cseq;

    public string Register(string contacts, int? expires, string? authorization)
    {
        _cseq++;
        return $"REGISTER sip:{TestServer.Domain} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{peer.Port};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
            $"From: <sip:{user}@{TestServer.Domain}>;tag=r{_cseq}\r\nTo: <sip:{user}@{TestServer.Domain}>\r\n" +
            $"Call-ID: {_callId}\r\nCSeq: {_cseq} REGISTER\r\nMax-Forwards: 70\r\n" +
            (contacts.Length > 0 ? $"Contact: {contacts}\r\n" : "") +
            (expires is { } e ? $"Expires: {e}\r\n" : "") +
            (authorization is null ? "" : $"Authorization: {authorization}\r\n") +
            "Content-Length: 0\r\n\r\n";
    }

    /// <summary>REGISTER, answer the 401, return the final response text.</summary>
    public async Task<string> RegisterAsync(string contacts, int? expires = null, string algorithm = "MD5", string? passwordOverride = null)
    {
        await peer.SendAsync(Register(contacts, expires, null), server);
        string challenge = await peer.ExpectAsync("SIP/2.0 401", TimeSpan.FromSeconds(5));
        string auth = TestDigest.Authorization(challenge, "WWW-Authenticate", "REGISTER", $"sip:{TestServer.Domain}", user, passwordOverride ?? password, algorithm);
        await peer.SendAsync(Register(contacts, expires, auth), server);
        return await peer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5));
    }
}

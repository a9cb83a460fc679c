using System.Globalization;
using System.Net;
using VideoLink.Media.Sdp;

namespace VideoLink.LoadGen.Peers;

/// <summary>What the load generator needs from the far side's SDP: ICE credentials, DTLS fingerprint, one UDP candidate.</summary>
internal sealed record RemoteDescription(string Ufrag, string Password, string Fingerprint, IPEndPoint Candidate, SdpDocument Sdp)
{
    public static RemoteDescription Parse(string sdpText)
    {
        if (!SdpDocument.TryParse(sdpText, out var sdp, out var error))
        {
            throw new FormatException("Unparsable SDP: " + error);
        }

        string? Find(string name) => sdp.Media.Select(m => m.Get(name)).FirstOrDefault(v => v is not null) ?? sdp.GetSession(name);

        var ufrag = Find("ice-ufrag") ?? throw new FormatException("SDP without a=ice-ufrag");
        var password = Find("ice-pwd") ?? throw new FormatException("SDP without a=ice-pwd");
        var fingerprint = Find("fingerprint") ?? throw new FormatException("SDP without a=fingerprint");
        var parts = fingerprint.Split(' ', 2);
        if (!parts[0].Equals("sha-256", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("Only sha-256 fingerprints are supported: " + fingerprint);
        }

        IPEndPoint? candidate = null;
        foreach (var line in sdp.Media.SelectMany(m => m.GetAll("candidate")))
        {
            // RFC 8839 §5.1: foundation component transport priority address port "typ" type …
            var c = line.Split(' ');
            if (c.Length >= 8 && c[2].Equals("udp", StringComparison.OrdinalIgnoreCase) && IPAddress.TryParse(c[4], out var address)
                && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                candidate = new IPEndPoint(address, int.Parse(c[5], CultureInfo.InvariantCulture));
                if (IPAddress.IsLoopback(address))
                {
                    break;
                }
            }
        }

        return new RemoteDescription(ufrag, password, parts[1], candidate ?? throw new FormatException("SDP without an IPv4 UDP candidate"), sdp);
    }
}

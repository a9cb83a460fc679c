using System.Globalization;

namespace VideoLink.Sip.Messages;

/// <summary>Common part of requests and responses (RFC 3261 §7): ordered headers and a body.</summary>
internal abstract class SipMessage
{
    /// <summary>Headers in wire order; names canonical. One entry per header line.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = new(12);

    public ReadOnlyMemory<byte> Body { get; set; } = ReadOnlyMemory<byte>.Empty;

    public string? GetHeader(string name)
    {
        foreach (var h in Headers)
        {
            if (ReferenceEquals(h.Key, name) || string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }
        return null;
    }

    /// <summary>All values of a header, splitting comma-joined lists where the header allows it.</summary>
    public List<string> GetHeaderValues(string name)
    {
        var list = new List<string>(2);
        bool split = SipHeaderNames.IsCommaList(name);
        foreach (var h in Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                if (split)
                {
                    list.AddRange(SipGrammar.SplitCommas(h.Value));
                }
                else
                {
                    list.Add(h.Value);
                }
            }
        }
        return list;
    }

    public void SetHeader(string name, string value)
    {
        RemoveHeader(name);
        Headers.Add(new(name, value));
    }

    public void AddHeader(string name, string value) => Headers.Add(new(name, value));

    public void RemoveHeader(string name) =>
        Headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));

    public string CallId => GetHeader(SipHeaderNames.CallId) ?? "";

    private NameAddress? _from, _to;
    private CSeqHeader? _cseq;
    private List<ViaHeader>? _vias;

    public NameAddress From => _from ??= NameAddress.TryParse(GetHeader(SipHeaderNames.From) ?? "", out var v) ? v : throw new InvalidOperationException("From not validated");
    public NameAddress To => _to ??= NameAddress.TryParse(GetHeader(SipHeaderNames.To) ?? "", out var v) ? v : throw new InvalidOperationException("To not validated");
    public CSeqHeader CSeq => _cseq ??= CSeqHeader.TryParse(GetHeader(SipHeaderNames.CSeq), out var v) ? v : throw new InvalidOperationException("CSeq not validated");

    /// <summary>Parsed Via values, top first. Mutating an element does not rewrite the header: call <see cref="CommitVias"/>.</summary>
    public List<ViaHeader> Vias
    {
        get
        {
            if (_vias is null)
            {
                var list = new List<ViaHeader>(2);
                foreach (string v in GetHeaderValues(SipHeaderNames.Via))
                {
                    list.Add(ViaHeader.TryParse(v, out var via) ? via : throw new InvalidOperationException("Via not validated"));
                }
                _vias = list;
            }
            return _vias;
        }
    }

    public ViaHeader TopVia => Vias[0];

    /// <summary>Writes <see cref="Vias"/> back into the header list (first Via position kept).</summary>
    public void CommitVias()
    {
        var vias = Vias;
        int index = Headers.FindIndex(h => h.Key == SipHeaderNames.Via);
        RemoveHeader(SipHeaderNames.Via);
        if (index < 0 || index > Headers.Count)
        {
            index = 0;
        }
        for (int i = 0; i < vias.Count; i++)
        {
            Headers.Insert(index + i, new(SipHeaderNames.Via, vias[i].ToString()));
        }
    }

    /// <summary>The parser hands over what it parsed while validating, so nothing is parsed twice.</summary>
    internal void SetParsed(List<ViaHeader> vias, NameAddress from, NameAddress to, CSeqHeader cseq)
    {
        _vias = vias;
        _from = from;
        _to = to;
        _cseq = cseq;
    }

    /// <summary>Forget cached typed headers after editing <see cref="Headers"/> directly.</summary>
    public void InvalidateCache()
    {
        _from = _to = null;
        _cseq = null;
        _vias = null;
    }

    public List<NameAddress> Contacts
    {
        get
        {
            var list = new List<NameAddress>(1);
            foreach (string c in GetHeaderValues(SipHeaderNames.Contact))
            {
                if (NameAddress.TryParse(c, out var na))
                {
                    list.Add(na);
                }
            }
            return list;
        }
    }

    public int? Expires => int.TryParse(GetHeader(SipHeaderNames.Expires), NumberStyles.None, CultureInfo.InvariantCulture, out int e) ? e : null;

    public string? ContentType => GetHeader(SipHeaderNames.ContentType);

    public bool HasOptionTag(string header, string tag)
    {
        foreach (string v in GetHeaderValues(header))
        {
            if (string.Equals(v, tag, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}

internal sealed class SipRequest : SipMessage
{
    public required string Method { get; init; }
    public required SipUri RequestUri { get; set; }

    public int MaxForwards => int.TryParse(GetHeader(SipHeaderNames.MaxForwards), NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : 70;
}

internal sealed class SipResponse : SipMessage
{
    public required int StatusCode { get; init; }
    public required string ReasonPhrase { get; init; }

    public bool IsProvisional => StatusCode < 200;
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

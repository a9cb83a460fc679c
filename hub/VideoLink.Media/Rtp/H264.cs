namespace VideoLink.Media.Rtp;

/// <summary>H.264 over RTP (RFC 6184) awareness for forwarding: keyframe detection and parameter sets.</summary>
internal static class H264
{
    public const int NalSlice = 1;
    public const int NalIdr = 5;
    public const int NalSps = 7;
    public const int NalPps = 8;
    public const int StapA = 24;
    public const int FuA = 28;

    /// <summary>
    /// True if the packet carries the start of an IDR picture or an SPS: a single NAL unit (§5.6), an aggregation
    /// containing one (STAP-A, §5.7.1), or the first fragment of an IDR (FU-A with S bit, §5.8).
    /// </summary>
    public static bool IsKeyFrameStart(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        var type = payload[0] & 0x1F;
        switch (type)
        {
            case NalIdr:
            case NalSps:
                return true;
            case StapA:
                return AggregateHolds(payload, NalIdr, NalSps);
            case FuA:
                return payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == NalIdr;
            default:
                return false;
        }
    }

    /// <summary>True if the payload is an SPS or a STAP-A that holds one: a decoder can start from it as it is.</summary>
    public static bool CarriesSps(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        var type = payload[0] & 0x1F;
        if (type == NalSps)
        {
            return true;
        }

        return type == StapA && AggregateHolds(payload, NalSps, NalSps);
    }

    /// <summary>True if the STAP-A holds a NAL unit of either type; false at the first malformed size.</summary>
    private static bool AggregateHolds(ReadOnlySpan<byte> payload, int nalType, int otherNalType)
    {
        var offset = 1;
        while (offset + 2 < payload.Length)
        {
            var size = (payload[offset] << 8) | payload[offset + 1];
            offset += 2;
            if (size == 0 || offset + size > payload.Length)
            {
                return false;
            }

            var type = payload[offset] & 0x1F;
            if (type == nalType || type == otherNalType)
            {
                return true;
            }

            offset += size;
        }

        return false;
    }
}

/// <summary>
/// Keeps the latest SPS and PPS seen in a stream so a late joiner (or a SIP phone after a switch) can be sent them
/// right before the next IDR: Chrome wants SPS and PPS before the IDR (PROTOCOLS.md), and a STAP-A with the IDR's
/// timestamp is the safe way. Not thread-safe.
/// </summary>
internal sealed class H264ParameterSetCache
{
    private readonly byte[] _sps = new byte[256];
    private readonly byte[] _pps = new byte[256];
    private int _spsLength;
    private int _ppsLength;

    public bool HasParameterSets => _spsLength > 0 && _ppsLength > 0;

    public ReadOnlySpan<byte> Sps => _sps.AsSpan(0, _spsLength);

    public ReadOnlySpan<byte> Pps => _pps.AsSpan(0, _ppsLength);

    /// <summary>Looks at one RTP payload and remembers any SPS/PPS in it.</summary>
    public void Observe(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        var type = payload[0] & 0x1F;
        if (type == H264.StapA)
        {
            var offset = 1;
            while (offset + 2 < payload.Length)
            {
                var size = (payload[offset] << 8) | payload[offset + 1];
                offset += 2;
                if (size == 0 || offset + size > payload.Length)
                {
                    return;
                }

                Remember(payload.Slice(offset, size));
                offset += size;
            }
        }
        else
        {
            Remember(payload);
        }
    }

    /// <summary>
    /// Takes the parameter sets a peer announced in SDP (<c>sprop-parameter-sets</c>, RFC 6184 §8.1: base64 NAL units
    /// separated by commas): phones and room codecs often send them only there, never in the stream. Malformed entries
    /// are skipped. True if anything was taken.
    /// </summary>
    public bool ObserveSpropParameterSets(string? fmtp)
    {
        if (string.IsNullOrEmpty(fmtp))
        {
            return false;
        }

        var taken = false;
        Span<byte> nal = stackalloc byte[256];
        foreach (var parameter in fmtp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            const string Name = "sprop-parameter-sets=";
            if (!parameter.StartsWith(Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var unit in parameter[Name.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (Convert.TryFromBase64String(unit, nal, out var length) && length > 0)
                {
                    Remember(nal[..length]);
                    taken = true;
                }
            }
        }

        return taken;
    }

    /// <summary>Writes a STAP-A payload (RFC 6184 §5.7.1) with SPS then PPS; returns its length or 0 if none cached.</summary>
    public int WriteStapA(Span<byte> output)
    {
        if (!HasParameterSets || output.Length < 5 + _spsLength + _ppsLength)
        {
            return 0;
        }

        // F and NRI of the aggregate: the highest NRI among the units (§5.7), SPS/PPS use 3.
        output[0] = (byte)((_sps[0] & 0x60) | H264.StapA);
        var i = AppendUnit(output, 1, Sps);
        return AppendUnit(output, i, Pps);
    }

    private static int AppendUnit(Span<byte> output, int i, ReadOnlySpan<byte> nal)
    {
        output[i++] = (byte)(nal.Length >> 8);
        output[i++] = (byte)nal.Length;
        nal.CopyTo(output[i..]);
        return i + nal.Length;
    }

    private void Remember(ReadOnlySpan<byte> nal)
    {
        var type = nal[0] & 0x1F;
        if (type == H264.NalSps && nal.Length <= _sps.Length)
        {
            nal.CopyTo(_sps);
            _spsLength = nal.Length;
        }
        else if (type == H264.NalPps && nal.Length <= _pps.Length)
        {
            nal.CopyTo(_pps);
            _ppsLength = nal.Length;
        }
    }
}

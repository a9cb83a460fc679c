using System.Globalization;

namespace VideoLink.Sip.Sdp;

/// <summary>H.264 profile classes that matter for negotiation (RFC 6184 §8.1, table 5).</summary>
internal enum H264ProfileClass
{
    Unknown,
    ConstrainedBaseline,
    Baseline,
    Main,
    Extended,
    High,
}

/// <summary>
/// The fmtp parameters of H.264 (RFC 6184 §8.1). Two offers are compatible when their profile class and
/// packetization-mode agree; the level is not part of the match (§8.2.2: the answerer may pick a lower level).
/// </summary>
internal sealed record H264Parameters(byte ProfileIdc, byte ProfileIop, byte LevelIdc, int PacketizationMode)
{
    /// <summary>RFC 6184 §8.1 default when profile-level-id is absent: 42000A (Baseline, level 1).</summary>
    public static readonly H264Parameters Default = new(0x42, 0x00, 0x0a, 0);

    public static H264Parameters Parse(string? fmtp)
    {
        byte idc = 0x42, iop = 0, level = 0x0a;
        int mode = 0;
        if (fmtp is null)
        {
            return Default;
        }
        foreach (var part in fmtp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }
            var name = part.AsSpan(0, eq).Trim();
            var value = part.AsSpan(eq + 1).Trim();
            if (name.Equals("profile-level-id", StringComparison.OrdinalIgnoreCase) && value.Length == 6
                && uint.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint pli))
            {
                idc = (byte)(pli >> 16);
                iop = (byte)(pli >> 8);
                level = (byte)pli;
            }
            else if (name.Equals("packetization-mode", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int pm))
            {
                mode = pm;
            }
        }
        return new H264Parameters(idc, iop, level, mode);
    }

    public string ProfileLevelId => $"{ProfileIdc:x2}{ProfileIop:x2}{LevelIdc:x2}";

    /// <summary>Profile class from profile_idc and the constraint flags (RFC 6184 table 5).</summary>
    public H264ProfileClass ProfileClass
    {
        get
        {
            bool set0 = (ProfileIop & 0x80) != 0, set1 = (ProfileIop & 0x40) != 0, set2 = (ProfileIop & 0x20) != 0, set3 = (ProfileIop & 0x10) != 0;
            return ProfileIdc switch
            {
                // 42 + constraint_set1 → Constrained Baseline; 4D + set0; 58 + set0 and set1.
                0x42 => set1 ? H264ProfileClass.ConstrainedBaseline : H264ProfileClass.Baseline,
                0x4d => set0 ? H264ProfileClass.ConstrainedBaseline : H264ProfileClass.Main,
                0x58 => set0 && set1 ? H264ProfileClass.ConstrainedBaseline : (set1 ? H264ProfileClass.Main : H264ProfileClass.Extended),
                0x64 => H264ProfileClass.High,
                _ => set2 || set3 ? H264ProfileClass.Unknown : H264ProfileClass.Unknown,
            };
        }
    }

    public bool IsCompatibleWith(H264Parameters other) =>
        ProfileClass == other.ProfileClass && ProfileClass != H264ProfileClass.Unknown && PacketizationMode == other.PacketizationMode;

    public string ToFmtp() => $"profile-level-id={ProfileLevelId};packetization-mode={PacketizationMode.ToString(CultureInfo.InvariantCulture)}";
}

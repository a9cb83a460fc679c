using System.Globalization;

namespace VideoLink.Sip.Messages;

/// <summary>CSeq (RFC 3261 §20.16): a 32-bit sequence number and a method.</summary>
internal readonly record struct CSeqHeader(uint Number, string Method)
{
    public static bool TryParse(ReadOnlySpan<char> s, out CSeqHeader value)
    {
        value = default;
        s = s.Trim();
        int sp = s.IndexOfAny(' ', '\t');
        if (sp <= 0)
        {
            return false;
        }
        var num = s[..sp];
        var method = s[sp..].Trim();
        if (num.Length > 10 || !uint.TryParse(num, NumberStyles.None, CultureInfo.InvariantCulture, out uint n) || !SipGrammar.IsToken(method))
        {
            return false;
        }
        value = new CSeqHeader(n, SipMethods.Intern(method));
        return true;
    }

    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture) + " " + Method;
}

using System.Globalization;
using VideoLink.Sip.Messages;

namespace VideoLink.Sip.Dialogs;

/// <summary>Session timer negotiation (RFC 4028): who refreshes, how often, and when a silent call is dead.</summary>
internal sealed record SessionTimerPlan(int Interval, bool RefresherIsUac)
{
    public const int MinSE = 90;

    public string HeaderValue => Interval.ToString(CultureInfo.InvariantCulture) + ";refresher=" + (RefresherIsUac ? "uac" : "uas");

    /// <summary>§10: without a refresh the session ends at interval − min(32, interval/3).</summary>
    public TimeSpan ExpiryTimeout => TimeSpan.FromSeconds(Interval - Math.Min(32, Interval / 3.0));

    /// <summary>§7.1/§9: the refresher refreshes at half the interval.</summary>
    public TimeSpan RefreshPeriod => TimeSpan.FromSeconds(Interval / 2.0);

    /// <summary>
    /// Reads Session-Expires/Min-SE of a request. Returns null when the peer asked for an interval below Min-SE
    /// (caller answers 422); otherwise the plan, defaulting to the hub's interval.
    /// </summary>
    public static bool TryNegotiate(SipRequest request, int preferred, out SessionTimerPlan? plan)
    {
        plan = null;
        bool supported = request.HasOptionTag(SipHeaderNames.Supported, "timer");
        string? se = request.GetHeader(SipHeaderNames.SessionExpires);
        int interval = preferred;
        bool? uac = null;
        if (se is not null)
        {
            var parts = se.Split(';', StringSplitOptions.TrimEntries);
            if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out interval))
            {
                interval = preferred;
            }
            if (interval < MinSE)
            {
                return false;
            }
            foreach (string p in parts.AsSpan(1))
            {
                if (p.Equals("refresher=uac", StringComparison.OrdinalIgnoreCase))
                {
                    uac = true;
                }
                else if (p.Equals("refresher=uas", StringComparison.OrdinalIgnoreCase))
                {
                    uac = false;
                }
            }
        }
        // §9: a UAC that supports timers refreshes by default; one that does not leaves it to us.
        plan = new SessionTimerPlan(Math.Max(interval, MinSE), uac ?? supported);
        if (plan.RefresherIsUac && !supported)
        {
            plan = plan with { RefresherIsUac = false };
        }
        return true;
    }

    /// <summary>Reads Session-Expires of a refresh: the interval and whether the sender refreshes (null when unsaid).</summary>
    public static bool TryReadRefresh(SipRequest request, out int interval, out bool? senderRefreshes)
    {
        interval = 0;
        senderRefreshes = null;
        string? se = request.GetHeader(SipHeaderNames.SessionExpires);
        if (se is null)
        {
            return false;
        }
        var parts = se.Split(';', StringSplitOptions.TrimEntries);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval < MinSE)
        {
            return false;
        }
        foreach (string p in parts.AsSpan(1))
        {
            if (p.Equals("refresher=uac", StringComparison.OrdinalIgnoreCase))
            {
                senderRefreshes = true;
            }
            else if (p.Equals("refresher=uas", StringComparison.OrdinalIgnoreCase))
            {
                senderRefreshes = false;
            }
        }
        return true;
    }
}

namespace VideoLink.Media.Srtp;

/// <summary>
/// Sliding replay window over packet indices (RFC 3711 §3.3.2). <see cref="Check"/> and <see cref="Accept"/> are
/// separate on purpose: the window moves only after the authentication tag has verified, otherwise a forged
/// packet with a far-ahead index would push the window and make genuine packets look like replays.
/// </summary>
internal struct ReplayWindow
{
    public const int Size = 64;

    private ulong _highest;
    private ulong _mask;
    private bool _started;

    public readonly bool Check(ulong index)
    {
        if (!_started || index > _highest)
        {
            return true;
        }

        var delta = _highest - index;
        return delta < Size && (_mask & (1UL << (int)delta)) == 0;
    }

    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _mask = 1;
            return;
        }

        if (index > _highest)
        {
            var shift = index - _highest;
            _mask = shift >= Size ? 1 : (_mask << (int)shift) | 1;
            _highest = index;
        }
        else
        {
            _mask |= 1UL << (int)(_highest - index);
        }
    }
}

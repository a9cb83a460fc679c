using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace VideoLink.Media.Ice;

/// <summary>STUN constants used by ICE (RFC 8489 §18, RFC 8445 §16).</summary>
internal static class Stun
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112_A442;
    public const uint FingerprintXor = 0x5354_554E;

    public const ushort BindingRequest = 0x0001;
    public const ushort BindingSuccess = 0x0101;
    public const ushort BindingError = 0x0111;
    public const ushort BindingIndication = 0x0011;

    public const ushort AttrUsername = 0x0006;
    public const ushort AttrMessageIntegrity = 0x0008;
    public const ushort AttrErrorCode = 0x0009;
    public const ushort AttrXorMappedAddress = 0x0020;
    public const ushort AttrPriority = 0x0024;
    public const ushort AttrUseCandidate = 0x0025;
    public const ushort AttrFingerprint = 0x8028;
    public const ushort AttrIceControlled = 0x8029;
    public const ushort AttrIceControlling = 0x802A;
}

/// <summary>
/// What a parsed STUN message holds, as offsets into the datagram (no copies). Parsing checks framing only;
/// integrity and fingerprint are verified separately because the key depends on USERNAME.
/// </summary>
internal readonly struct StunMessage
{
    public ushort Type { get; init; }

    public int Length { get; init; }

    public int UsernameOffset { get; init; }

    public int UsernameLength { get; init; }

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header, or -1.</summary>
    public int IntegrityOffset { get; init; }

    /// <summary>Offset of the FINGERPRINT attribute header, or -1.</summary>
    public int FingerprintOffset { get; init; }

    public bool UseCandidate { get; init; }

    public bool IceControlling { get; init; }

    public bool IceControlled { get; init; }

    public uint Priority { get; init; }

    public int ErrorCode { get; init; }

    public ReadOnlySpan<byte> TransactionId(ReadOnlySpan<byte> datagram) => datagram.Slice(8, 12);

    public ReadOnlySpan<byte> Username(ReadOnlySpan<byte> datagram) =>
        UsernameOffset < 0 ? default : datagram.Slice(UsernameOffset, UsernameLength);

    /// <summary>Parses the header and attribute framing (RFC 8489 §5, §14). False for anything malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out StunMessage message)
    {
        message = default;
        if (data.Length < Stun.HeaderLength || (data[0] & 0xC0) != 0)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if ((length & 3) != 0 || Stun.HeaderLength + length != data.Length
            || BinaryPrimitives.ReadUInt32BigEndian(data[4..]) != Stun.MagicCookie)
        {
            return false;
        }

        int usernameOffset = -1, usernameLength = 0, integrity = -1, fingerprint = -1, errorCode = 0;
        bool useCandidate = false, controlling = false, controlled = false;
        uint priority = 0;
        var offset = Stun.HeaderLength;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var attrLength = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            var valueOffset = offset + 4;
            var padded = (attrLength + 3) & ~3;
            if (valueOffset + padded > data.Length)
            {
                return false;
            }

            // RFC 8489 §14.5/§14.7: only FINGERPRINT may follow MESSAGE-INTEGRITY; nothing follows FINGERPRINT.
            if (fingerprint >= 0 || (integrity >= 0 && type != Stun.AttrFingerprint))
            {
                return false;
            }

            var value = data.Slice(valueOffset, attrLength);
            switch (type)
            {
                case Stun.AttrUsername:
                    usernameOffset = valueOffset;
                    usernameLength = attrLength;
                    break;
                case Stun.AttrMessageIntegrity:
                    if (attrLength != 20)
                    {
                        return false;
                    }

                    integrity = offset;
                    break;
                case Stun.AttrFingerprint:
                    if (attrLength != 4)
                    {
                        return false;
                    }

                    fingerprint = offset;
                    break;
                case Stun.AttrUseCandidate:
                    useCandidate = true;
                    break;
                case Stun.AttrPriority when attrLength == 4:
                    priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case Stun.AttrIceControlling:
                    controlling = true;
                    break;
                case Stun.AttrIceControlled:
                    controlled = true;
                    break;
                case Stun.AttrErrorCode when attrLength >= 4:
                    errorCode = (value[2] & 0x7) * 100 + value[3];
                    break;
                default:
                    // Unknown comprehension-optional attributes are ignored (RFC 8489 §15).
                    break;
            }

            offset = valueOffset + padded;
        }

        message = new StunMessage
        {
            Type = BinaryPrimitives.ReadUInt16BigEndian(data),
            Length = data.Length,
            UsernameOffset = usernameOffset,
            UsernameLength = usernameLength,
            IntegrityOffset = integrity,
            FingerprintOffset = fingerprint,
            UseCandidate = useCandidate,
            IceControlling = controlling,
            IceControlled = controlled,
            Priority = priority,
            ErrorCode = errorCode,
        };
        return true;
    }

    /// <summary>
    /// MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to the attribute, with the header length
    /// rewritten as if MESSAGE-INTEGRITY were the last attribute. Short-term key = the ICE password (RFC 8445 §7.2.2).
    /// </summary>
    public bool VerifyIntegrity(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> key)
    {
        if (IntegrityOffset < 0)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[20];
        ComputeIntegrity(datagram[..IntegrityOffset], key, mac);
        return CryptographicOperations.FixedTimeEquals(mac, datagram.Slice(IntegrityOffset + 4, 20));
    }

    public bool VerifyFingerprint(ReadOnlySpan<byte> datagram) =>
        FingerprintOffset >= 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[(FingerprintOffset + 4)..])
            == (Crc32.Compute(datagram[..FingerprintOffset]) ^ Stun.FingerprintXor);

    /// <summary>HMAC over <paramref name="prefix"/> (ending where MESSAGE-INTEGRITY starts).</summary>
    internal static void ComputeIntegrity(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key, Span<byte> mac)
    {
        Span<byte> header = stackalloc byte[Stun.HeaderLength];
        prefix[..Stun.HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(prefix.Length - Stun.HeaderLength + 24));
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        hmac.AppendData(header);
        hmac.AppendData(prefix[Stun.HeaderLength..]);
        hmac.TryGetHashAndReset(mac, out _);
    }
}

/// <summary>Writes a STUN message into a caller's buffer, attribute by attribute (RFC 8489 §5, §14).</summary>
internal ref struct StunWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public StunWriter(Span<byte> buffer, ushort type, ReadOnlySpan<byte> transactionId)
    {
        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], Stun.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        _length = Stun.HeaderLength;
    }

    public readonly int Length => _length;

    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_length + 2)..], (ushort)value.Length);
        value.CopyTo(_buffer[(_length + 4)..]);
        var padded = (value.Length + 3) & ~3;
        _buffer.Slice(_length + 4 + value.Length, padded - value.Length).Clear();
        _length += 4 + padded;
        UpdateLength();
    }

    public void AddUInt32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, value);
        AddAttribute(type, v);
    }

    public void AddUInt64(ushort type, ulong value)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(v, value);
        AddAttribute(type, v);
    }

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2): port XOR the cookie's top half, address XOR cookie (+ txid for IPv6).</summary>
    public void AddXorMappedAddress(IPEndPoint endPoint)
    {
        Span<byte> v = stackalloc byte[20];
        var v6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        v[0] = 0;
        v[1] = v6 ? (byte)2 : (byte)1;
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], (ushort)(endPoint.Port ^ (Stun.MagicCookie >> 16)));
        var address = v[4..(v6 ? 20 : 8)];
        endPoint.Address.TryWriteBytes(address, out _);
        Span<byte> mask = stackalloc byte[16];
        _buffer[4..20].CopyTo(mask);
        for (var i = 0; i < address.Length; i++)
        {
            address[i] ^= mask[i];
        }

        AddAttribute(Stun.AttrXorMappedAddress, v[..(v6 ? 20 : 8)]);
    }

    public void AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[20];
        StunMessage.ComputeIntegrity(_buffer[.._length], key, mac);
        AddAttribute(Stun.AttrMessageIntegrity, mac);
    }

    public void AddFingerprint()
    {
        // The length field must already count the FINGERPRINT attribute when the CRC is taken (RFC 8489 §14.7).
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - Stun.HeaderLength + 8));
        var crc = Crc32.Compute(_buffer[.._length]) ^ Stun.FingerprintXor;
        AddUInt32(Stun.AttrFingerprint, crc);
    }

    private readonly void UpdateLength() =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - Stun.HeaderLength));
}

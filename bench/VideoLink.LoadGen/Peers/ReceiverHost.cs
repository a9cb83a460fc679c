using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using VideoLink.Media.Net;

namespace VideoLink.LoadGen.Peers;

/// <summary>
/// Many receivers behind one UDP socket, the way a capture box or a NAT would see them: each receiver has a loopback
/// address of its own (127.1.x.y, all on one port), the socket is bound to the wildcard address, and one thread reads
/// whole bursts with <c>recvmmsg(2)</c> — the destination address of each datagram (<c>IP_PKTINFO</c>) says whose it is,
/// and the kernel's arrival stamp (<c>SO_TIMESTAMPNS</c>) comes with it for free. Sends leave from the receiver's own
/// address (<c>IP_PKTINFO</c> on <c>sendmsg</c>), so the server under test sees 300 distinct peers.
/// One socket per receiver, read by the runtime's epoll loop, costs an epoll wake-up and a <c>recvfrom</c> per datagram:
/// on two shared cores that was as much CPU as the server's fan-out, and it showed up in the server's delay.
/// Linux, 64-bit.
/// </summary>
internal sealed unsafe partial class ReceiverHost : IDisposable
{
    public const int BatchSize = 64;

    private const int SlotBytes = 2048;
    private const int ControlBytes = 128;
    private const int SolSocket = 1;
    private const int IpProtoIp = 0;
    private const int IpPktInfo = 8;
    private const int SoTimestampNs = 35; // SO_TIMESTAMPNS_OLD; the control message type SCM_TIMESTAMPNS is the same
    private const int SoRcvTimeo = 20;     // SO_RCVTIMEO_OLD: struct timeval of longs on 64-bit Linux
    private const int SoRcvBufForce = 33;
    private const int MsgWaitForOne = 0x10000;
    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int ONonBlock = 0x800;
    private const int EAgain = 11;
    private const int EIntr = 4;
    private static readonly double StopwatchTicksPerNanosecond = Stopwatch.Frequency / 1e9;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly int _fd;
    private readonly uint _firstAddress;
    private readonly LoadPeer?[] _peers;
    private readonly MMsgHdr* _headers;
    private readonly IoVec* _vectors;
    private readonly byte* _names;
    private readonly byte* _controls;
    private readonly byte[] _slots = GC.AllocateArray<byte>(BatchSize * SlotBytes, pinned: true);
    private readonly Thread _reader;
    private volatile bool _stopping;
    private int _attached;

    /// <param name="firstAddress">The first receiver's address; the next ones count up from it (127.1.0.1, 127.1.0.2, …).</param>
    /// <param name="capacity">How many receivers at most.</param>
    /// <param name="receiveBufferBytes">The shared socket's receive buffer (SO_RCVBUFFORCE when root).</param>
    public ReceiverHost(IPAddress firstAddress, int capacity, int receiveBufferBytes)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess || sizeof(MMsgHdr) != 64)
        {
            throw new PlatformNotSupportedException("The shared receiver socket needs 64-bit Linux.");
        }

        _firstAddress = BinaryPrimitives.ReadUInt32BigEndian(firstAddress.GetAddressBytes());
        _peers = new LoadPeer?[capacity];
        _socket.ReceiveBufferSize = receiveBufferBytes;
        TrySetRaw(SolSocket, SoRcvBufForce, BitConverter.GetBytes(receiveBufferBytes));
        _socket.SetRawSocketOption(IpProtoIp, IpPktInfo, BitConverter.GetBytes(1));
        _socket.SetRawSocketOption(SolSocket, SoTimestampNs, BitConverter.GetBytes(1));
        Span<byte> timeout = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(timeout[8..], 200_000); // wake every 200 ms to notice a stop
        _socket.SetRawSocketOption(SolSocket, SoRcvTimeo, timeout);
        _socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _fd = (int)_socket.SafeHandle.DangerousGetHandle();
        var flags = Fcntl(_fd, FGetFl, 0);
        if (flags >= 0 && (flags & ONonBlock) != 0)
        {
            Fcntl(_fd, FSetFl, flags & ~ONonBlock);
        }

        _headers = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(MMsgHdr)));
        _vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(IoVec)));
        _names = (byte*)NativeMemory.AllocZeroed(BatchSize * 16);
        _controls = (byte*)NativeMemory.AllocZeroed(BatchSize * ControlBytes);
        var slots = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_slots, 0);
        for (var i = 0; i < BatchSize; i++)
        {
            _vectors[i].Base = slots + (i * SlotBytes);
            _vectors[i].Length = SlotBytes;
            _headers[i].Header.Iov = &_vectors[i];
            _headers[i].Header.IovLength = 1;
            _headers[i].Header.Name = _names + (i * 16);
            _headers[i].Header.Control = _controls + (i * ControlBytes);
        }

        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "receiver-host" };
        _reader.Start();
    }

    /// <summary>The port every receiver shares.</summary>
    public int Port { get; }

    /// <summary>Datagrams that arrived for an address no receiver holds (late packets of a run's set-up or tear-down).</summary>
    public long Unclaimed { get; private set; }

    /// <summary>Gives the next receiver its address and routes that address's datagrams to it.</summary>
    public IPEndPoint Attach(LoadPeer peer)
    {
        var index = Interlocked.Increment(ref _attached) - 1;
        if (index >= _peers.Length)
        {
            throw new InvalidOperationException($"The host holds {_peers.Length} receivers at most.");
        }

        Volatile.Write(ref _peers[index], peer);
        var address = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(address, _firstAddress + (uint)index);
        return new IPEndPoint(new IPAddress(address), Port);
    }

    public void Detach(IPEndPoint local)
    {
        var index = BinaryPrimitives.ReadUInt32BigEndian(local.Address.GetAddressBytes()) - _firstAddress;
        if (index < (uint)_peers.Length)
        {
            Volatile.Write(ref _peers[index], null);
        }
    }

    /// <summary>Sends one datagram from <paramref name="local"/> (a receiver's own address) to <paramref name="remote"/>.</summary>
    public void Send(IPEndPoint local, ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (_stopping)
        {
            return;
        }

        Span<byte> name = stackalloc byte[16];
        remote.Buffer.Span[..Math.Min(16, remote.Size)].CopyTo(name);
        Span<byte> control = stackalloc byte[32]; // CMSG_SPACE(sizeof(struct in_pktinfo))
        control.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(control, 16 + 12);   // cmsg_len = CMSG_LEN(12)
        BinaryPrimitives.WriteInt32LittleEndian(control[8..], IpProtoIp);
        BinaryPrimitives.WriteInt32LittleEndian(control[12..], IpPktInfo);
        local.Address.TryWriteBytes(control[20..24], out _);          // ipi_spec_dst: the source address to use
        fixed (byte* payload = datagram)
        fixed (byte* namePointer = name)
        fixed (byte* controlPointer = control)
        {
            var vector = new IoVec { Base = payload, Length = (nuint)datagram.Length };
            var header = new MsgHdr
            {
                Name = namePointer,
                NameLength = 16,
                Iov = &vector,
                IovLength = 1,
                Control = controlPointer,
                ControlLength = 32,
            };
            _ = SendMsg(_fd, &header, 0); // a refused or unreachable datagram is the server's loss to count, not ours
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        var stopped = _reader.Join(TimeSpan.FromSeconds(2)); // it wakes every 200 ms (SO_RCVTIMEO) to see the flag
        _socket.Dispose();
        if (!stopped)
        {
            return; // still inside recvmmsg with our buffers: leak them rather than free memory the kernel may write to
        }

        NativeMemory.Free(_headers);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_names);
        NativeMemory.Free(_controls);
    }

    private void ReadLoop()
    {
        var slots = _slots.AsSpan();
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!_stopping)
        {
            for (var i = 0; i < BatchSize; i++)
            {
                _headers[i].Header.NameLength = 16;
                _headers[i].Header.ControlLength = ControlBytes;
                _headers[i].Header.Flags = 0;
            }

            var count = RecvMmsg(_fd, _headers, BatchSize, MsgWaitForOne, null);
            if (count <= 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (count < 0 && errno is not (EAgain or EIntr))
                {
                    return; // the socket is gone
                }

                continue;
            }

            // The wall clock (the stamps' clock) and the Stopwatch read side by side, once per burst.
            var nowTicks = Stopwatch.GetTimestamp();
            var nowNanoseconds = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            for (var i = 0; i < count; i++)
            {
                ref var header = ref _headers[i];
                if (!TryReadControl(header.Header.Control, (int)header.Header.ControlLength, out var destination, out var stampNanoseconds))
                {
                    Unclaimed++;
                    continue;
                }

                var index = destination - _firstAddress;
                var peer = index < (uint)_peers.Length ? Volatile.Read(ref _peers[index]) : null;
                if (peer is null)
                {
                    Unclaimed++;
                    continue;
                }

                new ReadOnlySpan<byte>(header.Header.Name, 16).CopyTo(from.Buffer.Span);
                var waited = stampNanoseconds == 0 ? 0 : nowNanoseconds - stampNanoseconds;
                var arrived = waited <= 0 ? nowTicks : nowTicks - (long)(waited * StopwatchTicksPerNanosecond);
                peer.OnDatagram(slots.Slice(i * SlotBytes, (int)header.Length), from, arrived, nowTicks);
            }
        }
    }

    /// <summary>The destination address (host order) and the kernel's receive stamp (Unix nanoseconds, 0 if none).</summary>
    private static bool TryReadControl(void* control, int length, out uint destination, out long stampNanoseconds)
    {
        destination = 0;
        stampNanoseconds = 0;
        var found = false;
        var offset = 0;
        var bytes = (byte*)control;
        while (offset + 16 <= length)
        {
            var cmsgLength = (int)*(ulong*)(bytes + offset);
            var level = *(int*)(bytes + offset + 8);
            var type = *(int*)(bytes + offset + 12);
            if (cmsgLength < 16 || offset + cmsgLength > length)
            {
                break;
            }

            var data = bytes + offset + 16;
            if (level == IpProtoIp && type == IpPktInfo)
            {
                destination = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(data + 8, 4)); // ipi_addr
                found = true;
            }
            else if (level == SolSocket && type == SoTimestampNs)
            {
                stampNanoseconds = (*(long*)data * 1_000_000_000) + *(long*)(data + 8);
            }

            offset += (cmsgLength + 7) & ~7;
        }

        return found;
    }

    private void TrySetRaw(int level, int name, byte[] value)
    {
        try
        {
            _socket.SetRawSocketOption(level, name, value);
        }
        catch (SocketException)
        {
            // Not privileged: keep the capped buffer.
        }
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMmsg(int socket, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMsg(int socket, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);
}

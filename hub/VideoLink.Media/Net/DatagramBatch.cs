using System.Net;
using System.Runtime.InteropServices;

namespace VideoLink.Media.Net;

/// <summary>
/// Up to <see cref="Capacity"/> datagrams, each to its own address, handed to the kernel in one <c>sendmmsg(2)</c> call
/// (Linux, 64-bit). A send worker fans one publisher packet out to every receiver in the room; batching turns 300
/// <c>sendto</c> system calls per packet into five. The headers, I/O vectors and address copies live in native memory
/// allocated once; the payloads are the send worker's pinned slots, so adding a datagram allocates nothing.
/// Not thread-safe: one batch per send worker.
/// </summary>
internal sealed unsafe partial class DatagramBatch : IDisposable
{
    public const int Capacity = 64;

    /// <summary>sizeof(struct sockaddr_storage): room for any address family.</summary>
    private const int AddressSlot = 128;

    private readonly MMsgHdr* _headers;
    private readonly IoVec* _vectors;
    private readonly byte* _addresses;
    private readonly byte[][] _payloads = new byte[Capacity][];
    private readonly int[] _lengths = new int[Capacity];
    private readonly SocketAddress[] _targets = new SocketAddress[Capacity];
    private int _disposed;

    public DatagramBatch()
    {
        _headers = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(MMsgHdr)));
        _vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(IoVec)));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(Capacity * AddressSlot));
        for (var i = 0; i < Capacity; i++)
        {
            _headers[i].Header.Iov = &_vectors[i];
            _headers[i].Header.IovLength = 1;
            _headers[i].Header.Name = _addresses + (i * AddressSlot);
        }
    }

    /// <summary>True where <c>sendmmsg</c> and the struct layouts above are known to match (64-bit Linux).</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess && sizeof(MMsgHdr) == 64;

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>
    /// Adds a datagram. <paramref name="pinnedPayload"/> must be a pinned array (allocated with
    /// <c>GC.AllocateArray(pinned: true)</c>) that stays untouched until <see cref="Clear"/>.
    /// </summary>
    public void Add(byte[] pinnedPayload, int length, SocketAddress target)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("The batch is full; send it first.");
        }

        if (target.Size > AddressSlot)
        {
            throw new ArgumentException("Address too long.", nameof(target));
        }

        var i = Count++;
        _payloads[i] = pinnedPayload;
        _lengths[i] = length;
        _targets[i] = target;
        _vectors[i].Base = (void*)Marshal.UnsafeAddrOfPinnedArrayElement(pinnedPayload, 0);
        _vectors[i].Length = (nuint)length;
        target.Buffer.Span[..target.Size].CopyTo(new Span<byte>(_headers[i].Header.Name, AddressSlot));
        _headers[i].Header.NameLength = (uint)target.Size;
    }

    public void Clear()
    {
        Array.Clear(_payloads, 0, Count);
        Array.Clear(_targets, 0, Count);
        Count = 0;
    }

    /// <summary>The datagram at <paramref name="index"/>, for sending one on its own.</summary>
    public ReadOnlySpan<byte> Payload(int index) => _payloads[index].AsSpan(0, _lengths[index]);

    public SocketAddress Target(int index) => _targets[index];

    /// <summary>
    /// Sends datagrams [<paramref name="from"/>, Count) with one <c>sendmmsg</c>: the number the kernel took
    /// (0 when the first one failed, with its errno in <paramref name="errno"/>).
    /// </summary>
    public int SendFrom(SafeHandle socket, int from, out int errno)
    {
        errno = 0;
        var added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            var sent = SendMmsg((int)socket.DangerousGetHandle(), _headers + from, (uint)(Count - from), 0);
            if (sent < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return 0;
            }

            return sent;
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    /// <summary>Frees the native memory once, however many times it is called (an endpoint stopped, then disposed).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NativeMemory.Free(_headers);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_addresses);
    }

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMmsg(int socket, MMsgHdr* messages, uint count, int flags);
}

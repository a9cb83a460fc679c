using System.Runtime.InteropServices;

namespace VideoLink.Media.Net;

// struct iovec, struct msghdr and struct mmsghdr of LP64 Linux (sizes 16, 56 and 64; sequential layout adds the same
// padding the C compiler does), for sendmmsg/recvmmsg/sendmsg through P/Invoke. Check sizeof(MMsgHdr) == 64 before use.

/// <summary><c>struct iovec</c>: one buffer of a message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    public void* Base;
    public nuint Length;
}

/// <summary><c>struct msghdr</c>: address, buffers and control messages of one datagram.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    public void* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

/// <summary><c>struct mmsghdr</c>: one entry of a <c>sendmmsg</c>/<c>recvmmsg</c> batch, with the bytes moved.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    public MsgHdr Header;
    public uint Length;
}

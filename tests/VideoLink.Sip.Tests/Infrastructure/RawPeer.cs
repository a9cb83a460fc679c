using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>A bare UDP socket on 127.0.0.1 that sends and receives raw SIP text.</summary>
public sealed class RawPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public RawPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public Task SendAsync(string text, IPEndPoint to) => SendAsync(Encoding.UTF8.GetBytes(text), to);

    public async Task SendAsync(byte[] bytes, IPEndPoint to) =>
        await _socket.SendToAsync(bytes, SocketFlags.None, to).WaitAsync(TimeSpan.FromSeconds(5));

    /// <summary>Next datagram as text, or null if none arrives within <paramref name="timeout"/>.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            return Encoding.UTF8.GetString(buffer, 0, r.ReceivedBytes);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Receives until a message starting with <paramref name="prefix"/> arrives (skipping e.g. 100 Trying).</summary>
    public async Task<string> ExpectAsync(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = new StringBuilder();
        while (DateTime.UtcNow < deadline)
        {
            string? m = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (m is null)
            {
                break;
            }
            if (m.StartsWith(prefix, StringComparison.Ordinal))
            {
                return m;
            }
            seen.Append(m.Split("\r\n")[0]).Append(" | ");
        }
        Assert.Fail($"Expected '{prefix}' within {timeout}; saw: {seen}");
        return "";
    }

    public void Dispose() => _socket.Dispose();
}

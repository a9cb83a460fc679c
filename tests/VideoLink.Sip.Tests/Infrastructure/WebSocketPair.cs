using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>Two connected WebSockets over a real loopback TCP connection (no HTTP server needed).</summary>
public static class WebSocketPair
{
    public static (WebSocket Client, WebSocket Server) Create()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        var server = listener.Accept();
        return (
            WebSocket.CreateFromStream(new NetworkStream(client, ownsSocket: true), new WebSocketCreationOptions { SubProtocol = "sip", IsServer = false }),
            WebSocket.CreateFromStream(new NetworkStream(server, ownsSocket: true), new WebSocketCreationOptions { SubProtocol = "sip", IsServer = true }));
    }
}

using System.Net;
using System.Net.Sockets;
using VideoLink.Hardware.Serial;

namespace VideoLink.Hardware.Simulators.Hosting;

/// <summary>Where replies go: the pty, one TCP connection, or the UDP sender.</summary>
public abstract partial class DeviceSimulator
{
    private sealed class SerialPeer(SerialPortTransport serial) : IReplySink
    {
        public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => serial.WriteAsync(data, cancellationToken);
    }

    private sealed class TcpPeer(Socket socket) : IReplySink
    {
        private readonly SemaphoreSlim _writeLock = new(1, 1);

        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
            await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        public void Close()
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }

            socket.Dispose();
        }
    }

    private sealed class UdpPeer(Socket socket, EndPoint remote) : IReplySink
    {
        public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            await socket.SendToAsync(data, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
    }
}

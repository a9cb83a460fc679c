using System.Net;
using System.Net.Sockets;
using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Simulators.Hosting;

/// <summary>Hosting on a pty pair, TCP or UDP, and plugging/unplugging.</summary>
public abstract partial class DeviceSimulator
{
    /// <summary>Hosts the simulator on a fresh pty pair under <c>/tmp</c> (socat must be installed).</summary>
    public Task StartOnPtyAsync(CancellationToken cancellationToken) => StartOnPtyAsync(null, cancellationToken);

    /// <summary>Hosts the simulator on a pty pair whose driver end is the link <paramref name="devicePath"/> (e.g. <c>/tmp/cam1</c>).</summary>
    public async Task StartOnPtyAsync(string? devicePath, CancellationToken cancellationToken)
    {
        _pty = await PtyPair.StartAsync(devicePath, cancellationToken).ConfigureAwait(false);
        EndpointKind = SimulatorEndpointKind.Pty;
        await OpenSerialSideAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hosts the simulator on TCP 127.0.0.1 on a free port (see <see cref="Port"/>).</summary>
    public Task StartOnTcpAsync(CancellationToken cancellationToken) => StartOnTcpAsync(0, cancellationToken);

    /// <summary>Hosts the simulator on TCP 127.0.0.1:<paramref name="port"/> (0 = any).</summary>
    public Task StartOnTcpAsync(int port, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EndpointKind = SimulatorEndpointKind.Tcp;
        Listen(port);
        return Task.CompletedTask;
    }

    /// <summary>Hosts the simulator on UDP 127.0.0.1 on a free port (see <see cref="Port"/>).</summary>
    public Task StartOnUdpAsync(CancellationToken cancellationToken) => StartOnUdpAsync(0, cancellationToken);

    /// <summary>Hosts the simulator on UDP 127.0.0.1:<paramref name="port"/> (0 = any).</summary>
    public Task StartOnUdpAsync(int port, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EndpointKind = SimulatorEndpointKind.Udp;
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
        Port = ((IPEndPoint)udp.LocalEndPoint!).Port;
        _udp = udp;
        Track(Task.Run(() => UdpLoopAsync(udp, _stopping.Token), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>Pulls the plug: kills socat, or closes the TCP listener and every connection.</summary>
    public async Task UnplugAsync()
    {
        // Serialised with ReplugAsync: an Unplug fault runs in the background and must not close a re-plugged port.
        await _plugLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_pty is not null)
            {
                var serial = _serial;
                await _pty.UnplugAsync().ConfigureAwait(false);
                if (serial is not null)
                {
                    await serial.CloseAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            if (_listener is not null)
            {
                _listener.Dispose();
                _listener = null;
                DropConnections();
            }
        }
        finally
        {
            _plugLock.Release();
        }
    }

    /// <summary>Plugs back in at the same path or port.</summary>
    public async Task ReplugAsync(CancellationToken cancellationToken)
    {
        await _plugLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pty is not null && !_pty.IsPlugged)
            {
                await _pty.PlugAsync(cancellationToken).ConfigureAwait(false);
                await OpenSerialSideAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (EndpointKind == SimulatorEndpointKind.Tcp && _listener is null)
            {
                Listen(Port);
            }
        }
        finally
        {
            _plugLock.Release();
        }
    }

    /// <summary>Closes every TCP connection but keeps listening (a projector's idle close).</summary>
    public void DropConnections()
    {
        foreach (var peer in _peers.Values)
        {
            (peer as TcpPeer)?.Close();
        }
    }

    private async Task OpenSerialSideAsync(CancellationToken cancellationToken)
    {
        var serial = new SerialPortTransport(new SerialPortSettings { Path = _pty!.SimulatorPath });
        await serial.OpenAsync(cancellationToken).ConfigureAwait(false);
        _serial = serial;
        var sink = new SerialPeer(serial);
        _peers[0] = sink;
        Track(Task.Run(() => StreamLoopAsync(serial.ReadAsync, sink, _stopping.Token), CancellationToken.None));
    }

    private void Listen(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(8);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _listener = listener;
        Track(Task.Run(() => AcceptLoopAsync(listener, _stopping.Token), CancellationToken.None));
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            client.NoDelay = true;
            int id = Interlocked.Increment(ref _nextPeer);
            var peer = new TcpPeer(client);
            _peers[id] = peer;
            Interlocked.Increment(ref _connectionCount);
            Track(Task.Run(
                async () =>
                {
                    try
                    {
                        await OnConnectedAsync(peer, stopping).ConfigureAwait(false);
                        await StreamLoopAsync(peer.ReadAsync, peer, stopping).ConfigureAwait(false);
                    }
                    finally
                    {
                        _peers.TryRemove(id, out _);
                        peer.Close();
                    }
                },
                CancellationToken.None));
        }
    }

    private async Task StreamLoopAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> read, IReplySink sink, CancellationToken stopping)
    {
        var buffer = new FrameBuffer(_framer);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var memory = buffer.GetWriteMemory();
                int n = await read(memory, stopping).ConfigureAwait(false);
                if (n <= 0)
                {
                    return;
                }

                lock (_gate)
                {
                    _bytes.AddRange(memory.Span[..n]);
                }

                buffer.Commit(n);
                while (buffer.TryTakeFrame(out var frame))
                {
                    await DispatchAsync(frame, sink, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or TransportException or SocketException or ObjectDisposedException)
        {
            // Unplugged, disconnected or stopping.
        }
    }

    private async Task UdpLoopAsync(Socket udp, CancellationToken stopping)
    {
        var datagram = new byte[2048];
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await udp.ReceiveFromAsync(datagram, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var data = datagram.AsSpan(0, received.ReceivedBytes);
            lock (_gate)
            {
                _bytes.AddRange(data);
            }

            var sink = new UdpPeer(udp, received.RemoteEndPoint);
            _peers[-1] = sink;
            var buffer = new FrameBuffer(_framer);
            buffer.Append(data);
            while (buffer.TryTakeFrame(out var frame))
            {
                try
                {
                    await DispatchAsync(frame, sink, stopping).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // The client went away.
                }
            }
        }
    }
}

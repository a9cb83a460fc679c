using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace VideoLink.Hub.Tests.Infrastructure;

/// <summary>
/// The console's SignalR channel (<c>/hubs/console</c>) spoken raw — JSON hub protocol over a WebSocket (RFC 6455),
/// on the in-process test server — so a test depends on nothing but the wire format.
/// </summary>
public sealed class ConsoleChannel : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly WebSocket _socket;
    private readonly Queue<JsonElement> _pending = new();

    private ConsoleChannel(WebSocket socket) => _socket = socket;

    /// <summary>Connects with a bearer token (none: the upgrade is refused) and completes the protocol handshake.</summary>
    public static async Task<ConsoleChannel> ConnectAsync(HubFactory hub, string? token)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var client = hub.Server.CreateWebSocketClient();
        var url = new Uri(hub.Server.BaseAddress, "/hubs/console" + (token is null ? "" : "?access_token=" + Uri.EscapeDataString(token)));
        var socket = await client.ConnectAsync(new Uri("ws://" + url.Authority + url.PathAndQuery), CancellationToken.None).WaitAsync(TestTimeouts.Request);
        var channel = new ConsoleChannel(socket);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestTimeouts.Request);
        var handshake = await channel.ReadFramesAsync(TestTimeouts.Request);
        Assert.Equal("{}", handshake[0]);
        foreach (var frame in handshake.Skip(1))
        {
            channel.Enqueue(frame);
        }

        return channel;
    }

    /// <summary>The next invocation of <paramref name="target"/> (others are skipped); fails after <paramref name="timeout"/>.</summary>
    public Task<JsonElement> NextAsync(string target, TimeSpan timeout) => NextAsync(target, static _ => true, timeout);

    /// <summary>
    /// The argument of the next invocation of <paramref name="target"/> whose argument satisfies
    /// <paramref name="argument"/> (everything before it is skipped); fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task<JsonElement> NextAsync(string target, Func<JsonElement, bool> argument, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            while (_pending.TryDequeue(out var message))
            {
                if (message.GetProperty("target").GetString() == target && argument(message.GetProperty("arguments")[0]))
                {
                    return message.GetProperty("arguments")[0];
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no '{target}' within {timeout.TotalSeconds:0.#} s");
            }

            foreach (var frame in await ReadFramesAsync(left))
            {
                Enqueue(frame);
            }
        }
    }

    /// <summary>
    /// True if an invocation of <paramref name="target"/> arrives within <paramref name="wait"/>. A wait that runs out
    /// cancels the WebSocket receive, which aborts the socket: use it as the channel's last call.
    /// </summary>
    public async Task<bool> ReceivesAsync(string target, TimeSpan wait)
    {
        try
        {
            await NextAsync(target, wait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
            {
                // The server is going away with the test.
            }
        }

        _socket.Dispose();
    }

    private void Enqueue(string frame)
    {
        var message = JsonDocument.Parse(frame).RootElement.Clone();
        if (message.TryGetProperty("type", out var type) && type.GetInt32() == 1)
        {
            _pending.Enqueue(message); // invocations only; pings (6) and the rest are not events
        }
    }

    private async Task<List<string>> ReadFramesAsync(TimeSpan timeout)
    {
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"nothing from the console channel within {timeout.TotalSeconds:0.#} s");
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (result.EndOfMessage && text.Length > 0 && text[^1] == RecordSeparator)
            {
                return [.. text.ToString().Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries)];
            }
        }
    }
}

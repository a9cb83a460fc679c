using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using VideoLink.LoadGen.Peers;

namespace VideoLink.LoadGen.Targets;

/// <summary>
/// Janus 1.1 with the VideoRoom plugin over its plain HTTP API (janus.transport.http): one session per run, one
/// handle per leg. The publisher sends its offer with <c>joinandconfigure</c>; each subscriber <c>join</c>s with
/// <c>ptype: subscriber</c>, gets Janus's offer in the <c>attached</c> event and answers with <c>start</c>.
/// Asynchronous events arrive on one long poll (<c>GET /janus/{session}?maxev=N</c>) and are matched by transaction.
/// </summary>
internal sealed class JanusTarget(HttpClient http, int processId) : IConferenceTarget, IAsyncDisposable
{
    private const string Plugin = "janus.plugin.videoroom";
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pending = new(StringComparer.Ordinal);
    private CancellationTokenSource? _polling;
    private Task _poller = Task.CompletedTask;
    private long _session;
    private long _publisherHandle;
    private long _publisherId;
    private long _room;

    public string Name => "Janus 1.1.2";

    public int ProcessId => processId;

    public bool IsFullIceAgent => true;

    public bool AcceptsSharedReceivers => false;

    /// <summary>
    /// libnice never gathers loopback candidates, so Janus offers the host's own address; our sockets bind to it too
    /// (a socket on 127.0.0.1 cannot exchange packets with one bound to another local address). The kernel still
    /// carries the traffic over the loopback device.
    /// </summary>
    public System.Net.IPAddress PeerAddress { get; } = HostAddress();

    private static System.Net.IPAddress HostAddress() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up && n.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? System.Net.IPAddress.Loopback;

    public async Task OpenRoomAsync(CancellationToken cancellationToken)
    {
        _session = (await PostAsync("/janus", new JsonObject { ["janus"] = "create" }, cancellationToken).ConfigureAwait(false))["data"]!["id"]!.GetValue<long>();
        _polling = new CancellationTokenSource();
        _poller = PollAsync(_polling.Token);
        _publisherHandle = await AttachAsync(cancellationToken).ConfigureAwait(false);
        _room = RandomNumberGenerator.GetInt32(1_000_000, int.MaxValue);
        var created = await MessageAsync(
            _publisherHandle,
            new JsonObject
            {
                ["request"] = "create",
                ["room"] = _room,
                ["description"] = "loadgen",
                ["publishers"] = 1,
                ["audiocodec"] = "pcmu",
                ["videocodec"] = "h264",
                ["h264_profile"] = "42e01f",
                ["bitrate"] = 0,
                ["fir_freq"] = 0,
                ["notify_joining"] = false,
                ["is_private"] = true,
            },
            null,
            cancellationToken).ConfigureAwait(false);
        if (created["plugindata"]?["data"]?["videoroom"]?.GetValue<string>() != "created")
        {
            throw new InvalidOperationException("Janus did not create the room: " + created.ToJsonString());
        }
    }

    public async Task PublishAsync(LoadPeer publisher, string offer, CancellationToken cancellationToken)
    {
        var joined = await MessageAsync(
            _publisherHandle,
            new JsonObject { ["request"] = "joinandconfigure", ["room"] = _room, ["ptype"] = "publisher", ["display"] = "publisher", ["audio"] = true, ["video"] = true },
            new JsonObject { ["type"] = "offer", ["sdp"] = offer },
            cancellationToken).ConfigureAwait(false);
        _publisherId = joined["plugindata"]?["data"]?["id"]?.GetValue<long>() ?? throw new InvalidOperationException("Janus join failed: " + joined.ToJsonString());
        var answer = joined["jsep"]?["sdp"]?.GetValue<string>() ?? throw new InvalidOperationException("Janus sent no answer: " + joined.ToJsonString());
        publisher.Start(RemoteDescription.Parse(answer));
    }

    public async Task SubscribeAsync(LoadPeer receiver, CancellationToken cancellationToken)
    {
        var handle = await AttachAsync(cancellationToken).ConfigureAwait(false);
        receiver.SessionTag = handle.ToString(CultureInfo.InvariantCulture);
        var attached = await MessageAsync(
            handle,
            new JsonObject
            {
                ["request"] = "join",
                ["room"] = _room,
                ["ptype"] = "subscriber",
                ["streams"] = new JsonArray(new JsonObject { ["feed"] = _publisherId }),
            },
            null,
            cancellationToken).ConfigureAwait(false);
        var offer = attached["jsep"]?["sdp"]?.GetValue<string>() ?? throw new InvalidOperationException("Janus sent no subscriber offer: " + attached.ToJsonString());
        var remote = RemoteDescription.Parse(offer);
        var answer = SdpWriter.ReceiveOnlyAnswer(receiver, remote.Sdp);
        var started = await MessageAsync(handle, new JsonObject { ["request"] = "start" }, new JsonObject { ["type"] = "answer", ["sdp"] = answer }, cancellationToken).ConfigureAwait(false);
        if (started["plugindata"]?["data"]?["started"] is null)
        {
            throw new InvalidOperationException("Janus did not start the subscription: " + started.ToJsonString());
        }

        receiver.Start(remote);
    }

    public Task<long?> SendDropsAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public async Task CloseRoomAsync(CancellationToken cancellationToken)
    {
        await MessageAsync(_publisherHandle, new JsonObject { ["request"] = "destroy", ["room"] = _room }, null, cancellationToken).ConfigureAwait(false);
        await PostAsync($"/janus/{_session}", new JsonObject { ["janus"] = "destroy" }, cancellationToken).ConfigureAwait(false);
        await StopPollingAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopPollingAsync().ConfigureAwait(false);

    private async Task StopPollingAsync()
    {
        if (_polling is null)
        {
            return;
        }

        await _polling.CancelAsync().ConfigureAwait(false);
        try
        {
            await _poller.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _polling.Dispose();
        _polling = null;
    }

    private async Task<long> AttachAsync(CancellationToken cancellationToken) =>
        (await PostAsync($"/janus/{_session}", new JsonObject { ["janus"] = "attach", ["plugin"] = Plugin }, cancellationToken).ConfigureAwait(false))["data"]!["id"]!.GetValue<long>();

    /// <summary>
    /// A plugin message. Janus answers synchronous requests (create, destroy) in the HTTP response, and asynchronous
    /// ones (join, start) with an "ack" there and the real reply as an event carrying the same transaction.
    /// </summary>
    private async Task<JsonObject> MessageAsync(long handle, JsonObject body, JsonObject? jsep, CancellationToken cancellationToken)
    {
        var transaction = NewTransaction();
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[transaction] = waiter;
        var request = new JsonObject { ["janus"] = "message", ["body"] = body, ["transaction"] = transaction };
        if (jsep is not null)
        {
            request["jsep"] = jsep;
        }

        try
        {
            var reply = await PostAsync($"/janus/{_session}/{handle}", request, cancellationToken, transaction).ConfigureAwait(false);
            if (reply["janus"]?.GetValue<string>() != "ack")
            {
                return reply;
            }

            return await waiter.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(transaction, out _);
        }
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject request, CancellationToken cancellationToken, string? transaction = null)
    {
        request["transaction"] = transaction ?? NewTransaction();
        using var response = await http.PostAsJsonAsync(path, request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var reply = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false))!;
        if (reply["janus"]?.GetValue<string>() == "error")
        {
            throw new InvalidOperationException($"Janus {path}: {reply.ToJsonString()}");
        }

        return reply;
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            JsonNode? events;
            try
            {
                events = await http.GetFromJsonAsync<JsonNode>($"/janus/{_session}?maxev=100", cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var item in events as JsonArray ?? [events])
            {
                if (item is JsonObject e && e["transaction"]?.GetValue<string>() is { } transaction && _pending.TryGetValue(transaction, out var waiter))
                {
                    waiter.TrySetResult(e);
                }
            }
        }
    }

    private static string NewTransaction() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
}

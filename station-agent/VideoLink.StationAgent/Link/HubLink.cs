using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using VideoLink.StationAgent.Configuration;
using VideoLink.StationAgent.Contracts;

namespace VideoLink.StationAgent.Link;

/// <summary>What the hub may ask of the agent.</summary>
public interface IStationCommands
{
    Task<DeviceCommandResult> ExecuteAsync(DeviceCommand command, CancellationToken cancellationToken);

    Task<PreparationResult> PrepareAsync(PreparationRequest request, CancellationToken cancellationToken);

    IReadOnlyList<DeviceStatusReport> Snapshot();
}

/// <summary>
/// Keeps the agent connected to the hub's <c>/hubs/agent</c>: enrols on first start, reconnects with back-off
/// (1 s doubling to <c>reconnectMaxSeconds</c>) for as long as the agent runs, and re-sends the whole device state after every (re)connect.
/// </summary>
public sealed partial class HubLink(AgentConfig config, CredentialStore credentials, IStationCommands station, ILoggerFactory loggerFactory) : BackgroundService
{
    public static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger = loggerFactory.CreateLogger<HubLink>();
    private volatile HubConnection? _connection;

    /// <summary>Raised after every successful (re)connect.</summary>
    public event Action? Connected;

    public bool IsConnected => _connection?.State == HubConnectionState.Connected;

    public async Task<List<Guid>> UploadAsync(IReadOnlyList<CheckInUpload> batch, CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is null || connection.State != HubConnectionState.Connected)
        {
            throw new InvalidOperationException("Not connected to the hub.");
        }

        return await connection.InvokeAsync<List<Guid>>(AgentHubMethods.UploadCheckIns, batch, cancellationToken);
    }

    public async Task ReportAsync(IReadOnlyList<DeviceStatusReport> reports, CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is { State: HubConnectionState.Connected })
        {
            await connection.InvokeAsync(AgentHubMethods.ReportDevices, reports, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = MinBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            HubConnection? connection = null;
            try
            {
                var credential = await credentials.GetAsync(stoppingToken);
                connection = Build(credential);
                var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                connection.Closed += ex =>
                {
                    closed.TrySetResult(ex);
                    return Task.CompletedTask;
                };
                await connection.StartAsync(stoppingToken);
                _connection = connection;
                backoff = MinBackoff;
                LogConnected(_logger, config.HubUrl);
                await connection.InvokeAsync(AgentHubMethods.ReportDevices, station.Snapshot(), stoppingToken);
                Connected?.Invoke();
                var reason = await closed.Task.WaitAsync(stoppingToken);
                LogLost(_logger, reason?.Message ?? "closed");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (AgentConfigException ex)
            {
                LogCannotEnroll(_logger, ex.Message);
            }
            catch (Exception ex)
            {
                LogConnectFailed(_logger, config.HubUrl, ex.Message);
            }
            finally
            {
                _connection = null;
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }

            try
            {
                await Task.Delay(backoff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(config.ReconnectMaxSeconds).Ticks));
        }
    }

    private HubConnection Build(AgentCredential credential)
    {
        var builder = new HubConnectionBuilder();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IConnectionFactory>(new WebSocketConnectionFactory(() => credential.AgentToken));
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(new Uri(new Uri(config.HubUrl), credential.HubPath)));
        builder.AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        var connection = builder.Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(30);
        connection.KeepAliveInterval = TimeSpan.FromSeconds(10);
        connection.On<DeviceCommand, DeviceCommandResult>(AgentHubMethods.ExecuteCommand, command => station.ExecuteAsync(command, CancellationToken.None));
        connection.On<PreparationRequest, PreparationResult>(AgentHubMethods.Prepare, request => station.PrepareAsync(request, CancellationToken.None));
        return connection;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Connected to the hub at {HubUrl}")]
    private static partial void LogConnected(ILogger logger, string hubUrl);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Lost the hub connection: {Reason}")]
    private static partial void LogLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Could not reach the hub at {HubUrl}: {Reason}; retrying")]
    private static partial void LogConnectFailed(ILogger logger, string hubUrl, string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Cannot connect: {Reason}")]
    private static partial void LogCannotEnroll(ILogger logger, string reason);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Realtime;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.StationAgent.Contracts;

namespace VideoLink.Hub.Stations;

/// <summary>
/// The station agents' channel (<c>/hubs/agent</c>). An agent reports its devices and uploads its attendance journal
/// here; the hub calls it back (client results) to run device commands and meeting preparation.
/// </summary>
[Authorize(AuthenticationSchemes = AgentAuthenticationHandler.SchemeName)]
public sealed partial class AgentHub(
    StationRegistry registry,
    Presence presence,
    OrgTreeBroadcaster broadcaster,
    VideoLinkDbContext db,
    TimeProvider clock,
    Consultations.ConsultationDesk desk,
    ILogger<AgentHub> logger) : Microsoft.AspNetCore.SignalR.Hub
{
    public const int MaxBatch = 500;

    private Guid SiteId => Guid.Parse(Context.User!.FindFirstValue(AgentAuthenticationHandler.SiteClaim)!);

    private string SitePath => Context.User!.FindFirstValue(Security.BearerAuthenticationHandler.OrgPathClaim)!;

    public override async Task OnConnectedAsync()
    {
        registry.Connected(SiteId, Context.ConnectionId);
        presence.SetSite(SiteId, true);
        var agentId = Guid.Parse(Context.User!.FindFirstValue(AgentAuthenticationHandler.AgentClaim)!);
        await db.StationAgents.Where(a => a.Id == agentId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenUtc, clock.GetUtcNow().UtcDateTime), Context.ConnectionAborted);
        LogConnected(logger, SiteId);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (registry.Disconnected(SiteId, Context.ConnectionId))
        {
            presence.SetSite(SiteId, false);
            LogDisconnected(logger, SiteId);
        }

        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The agent's view of its devices; sent on connect, after a reconnect and whenever something changes.</summary>
    public async Task ReportDevices(List<DeviceStatusReport> reports)
    {
        if (reports.Count > MaxBatch)
        {
            throw new HubException($"At most {MaxBatch} device reports per call.");
        }

        foreach (var report in reports)
        {
            registry.Report(SiteId, report);
            await broadcaster.SendAsync(SitePath, "deviceStatus", new { siteId = SiteId, report.Code, report.Health, report.Detail, report.ObservedAt, report.State }, Context.ConnectionAborted);
        }
    }

    /// <summary>
    /// Stores journal entries idempotently (the UUID is the key) and answers with every id now stored, so the agent can
    /// drop exactly those from its outbox. An upload repeated after a lost answer stores nothing twice.
    /// </summary>
    public async Task<List<Guid>> UploadCheckIns(List<CheckInUpload> batch)
    {
        if (batch.Count > MaxBatch)
        {
            throw new HubException($"At most {MaxBatch} check-ins per call.");
        }

        var valid = batch.Where(IsValid).GroupBy(c => c.Id).Select(g => g.First()).ToList();
        var ids = valid.Select(c => c.Id).ToList();
        var existing = await db.CheckIns.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(Context.ConnectionAborted);
        var now = clock.GetUtcNow().UtcDateTime;
        var added = new List<CheckIn>();
        foreach (var c in valid.Where(c => !existing.Contains(c.Id)))
        {
            var row = new CheckIn
            {
                Id = c.Id,
                SiteId = SiteId,
                DeviceCode = c.DeviceCode,
                Method = Enum.Parse<CheckInMethod>(c.Method),
                PersonHash = c.PersonHash,
                PersonMasked = c.PersonMasked,
                Detail = c.Detail,
                DeviceTimeUtc = c.DeviceTime.UtcDateTime,
                ReceivedUtc = now,
                OrgPath = SitePath,
            };
            db.CheckIns.Add(row);
            added.Add(row);
        }

        try
        {
            await db.SaveChangesAsync(Context.ConnectionAborted);
            // Only entries stored by this call act (a repeated upload raises no second consultation).
            await desk.OnJournalAsync(SiteId, added, Context.ConnectionAborted);
        }
        catch (DbUpdateException)
        {
            // The same entries arrived twice at once (a retry racing the original): whatever is stored now counts.
            db.ChangeTracker.Clear();
        }

        var stored = await db.CheckIns.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(Context.ConnectionAborted);
        // Malformed entries are acknowledged too (and counted), so a bad row can never block the outbox behind it.
        var rejected = batch.Where(c => !IsValid(c)).Select(c => c.Id).ToList();
        if (rejected.Count > 0)
        {
            LogRejected(logger, SiteId, rejected.Count);
        }

        return [.. stored, .. rejected];
    }

    private static bool IsValid(CheckInUpload c) =>
        c.Id != Guid.Empty
        && c.DeviceCode is { Length: > 0 and <= 64 }
        && Enum.TryParse<CheckInMethod>(c.Method, out _)
        && (c.PersonHash is null || c.PersonHash.Length <= 64)
        && (c.PersonMasked is null || c.PersonMasked.Length <= 64)
        && (c.Detail is null || c.Detail.Length <= 200);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Station agent of site {SiteId} connected")]
    private static partial void LogConnected(ILogger logger, Guid siteId);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Station agent of site {SiteId} disconnected")]
    private static partial void LogDisconnected(ILogger logger, Guid siteId);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "Site {SiteId} uploaded {Count} malformed check-in(s); dropped")]
    private static partial void LogRejected(ILogger logger, Guid siteId, int count);
}

using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Security;
using VideoLink.Hub.Stations;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.StationAgent.Contracts;

namespace VideoLink.Hub.Api;

public sealed record SiteDeviceView(Guid Id, string Code, string Name, DeviceKind Kind, string Driver, DeviceHealth Status, string? Detail, DateTimeOffset? LastSeen, IReadOnlyDictionary<string, string>? State);

public sealed record SiteDevicesView(Guid SiteId, bool Online, IReadOnlyList<SiteDeviceView> Devices);

public sealed record DeviceCommandRequest(string? Action, int? Preset, string? Direction, int? Speed, string? Zoom, string? Input, int? Volume);

public sealed record DeviceCommandResponse(CommandOutcome Outcome, string? Detail, IReadOnlyDictionary<string, string>? State);

public sealed record EnrollmentView(Guid SiteId, string Token, DateTimeOffset ExpiresAt);

public sealed record EnrollRequest(string? Token);

public sealed record EnrolledView(Guid AgentId, Guid SiteId, string AgentToken, string HubPath, string IdHashSalt);

public sealed record CheckInView(Guid Id, string DeviceCode, CheckInMethod Method, string? PersonMasked, string? Detail, DateTimeOffset DeviceTime, DateTimeOffset ReceivedAt);

public sealed record PrepareRequest(string? RoomId, DateTimeOffset? At);

/// <summary>Station agents and their devices: enrolment, live device status, commands, the attendance journal, preparation.</summary>
internal static class StationsApi
{
    public static readonly TimeSpan EnrollmentLifetime = TimeSpan.FromHours(24);

    public static RouteGroupBuilder MapStationsApi(this RouteGroupBuilder api)
    {
        var site = api.MapGroup("/sites/{siteId:guid}").WithTags("Stations");
        site.MapGet("/devices", DevicesAsync).RequireAuthorization(Policies.DirectoryRead);
        site.MapPost("/devices/{deviceId:guid}/commands", CommandAsync).RequireAuthorization(Policies.DeviceControl);
        site.MapGet("/checkins", CheckInsAsync).RequireAuthorization(Policies.DirectoryRead);
        site.MapPost("/agent-enrollments", EnrollmentAsync).RequireAuthorization(Policies.DirectoryWrite);
        site.MapPost("/prepare", (Guid siteId, PrepareRequest? request, VideoLinkDbContext db, StationControl control, PreparationPlans plans, CancellationToken ct) =>
            PrepareAsync(siteId, request, release: false, db, control, plans, ct)).RequireAuthorization(Policies.DeviceControl);
        site.MapPost("/release", (Guid siteId, PrepareRequest? request, VideoLinkDbContext db, StationControl control, PreparationPlans plans, CancellationToken ct) =>
            PrepareAsync(siteId, request, release: true, db, control, plans, ct)).RequireAuthorization(Policies.DeviceControl);
        api.MapPost("/agents/enroll", EnrollAsync).WithTags("Stations").AllowAnonymous();
        return api;
    }

    private static async Task<IResult> DevicesAsync(Guid siteId, VideoLinkDbContext db, StationRegistry registry, Presence presence, CancellationToken ct)
    {
        var site = await db.VisibleSiteAsync(siteId, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        var online = presence.IsSiteOnline(siteId);
        var devices = await db.Devices.AsNoTracking().Where(d => d.SiteId == siteId).OrderBy(d => d.Code).ToListAsync(ct);
        var views = devices.Select(d =>
        {
            var live = registry.StatusOf(siteId, d.Code);
            var health = online ? live?.Health ?? DeviceHealth.Unknown : DeviceHealth.Unknown;
            var detail = online ? live?.Detail : "站点离线 (site offline)";
            return new SiteDeviceView(d.Id, d.Code, d.Name, d.Kind, d.Driver, health, detail, live?.ObservedAt, live?.State);
        }).ToList();
        return TypedResults.Ok(new SiteDevicesView(siteId, online, views));
    }

    private static async Task<IResult> CommandAsync(Guid siteId, Guid deviceId, DeviceCommandRequest request, VideoLinkDbContext db, StationControl control, CancellationToken ct)
    {
        var check = new Validation()
            .Require(request.Action is not null && DeviceActions.All.Contains(request.Action), "action", "one of " + string.Join(", ", DeviceActions.All))
            .Require(request.Preset is null or >= 0 and <= 255, "preset", "0 to 255")
            .Require(request.Speed is null or >= 1 and <= 24, "speed", "1 to 24")
            .Require(request.Volume is null or >= 0 and <= 100, "volume", "0 to 100")
            .Require(request.Direction is null or "up" or "down" or "left" or "right" or "upleft" or "upright" or "downleft" or "downright" or "stop", "direction", "up, down, left, right, upleft, upright, downleft, downright or stop")
            .Require(request.Zoom is null or "tele" or "wide" or "stop", "zoom", "tele, wide or stop")
            .Require(request.Input is null || (request.Input.Length <= 16 && request.Input.All(char.IsAsciiLetterOrDigit)), "input", "e.g. HDMI1")
            .Require(request.Action is not ("RecallPreset" or "SetPreset") || request.Preset is not null, "preset", "is required for presets")
            .Require(request.Action is not "PanTilt" || request.Direction is not null, "direction", "is required for PanTilt")
            .Require(request.Action is not "Zoom" || request.Zoom is not null, "zoom", "is required for Zoom")
            .Require(request.Action is not "SelectInput" || request.Input is not null, "input", "is required for SelectInput")
            .Require(request.Action is not "SetVolume" || request.Volume is not null, "volume", "is required for SetVolume");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deviceId && d.SiteId == siteId, ct);
        if (device is null)
        {
            return ApiProblems.NotFound("The device");
        }

        DeviceCommandResult result;
        try
        {
            result = await control.ExecuteAsync(siteId, new DeviceCommand(device.Code, request.Action!, request.Preset, request.Direction, request.Speed, request.Zoom, request.Input, request.Volume), ct);
        }
        catch (SiteOfflineException)
        {
            return ApiProblems.Conflict("The site's station agent is offline; the command was not sent.");
        }

        var body = new DeviceCommandResponse(result.Outcome, result.Detail, result.State);
        return result.Outcome switch
        {
            CommandOutcome.Ok => TypedResults.Ok(body),
            CommandOutcome.Unsupported or CommandOutcome.InvalidArgument => TypedResults.Problem(title: "The device cannot do that", detail: result.Detail, statusCode: StatusCodes.Status422UnprocessableEntity),
            CommandOutcome.UnknownDevice => TypedResults.Problem(title: "The agent does not drive this device", detail: result.Detail, statusCode: StatusCodes.Status422UnprocessableEntity),
            CommandOutcome.TimedOut => TypedResults.Problem(title: "The device did not answer in time", detail: result.Detail, statusCode: StatusCodes.Status504GatewayTimeout),
            _ => TypedResults.Problem(title: "The device reported a failure", detail: result.Detail, statusCode: StatusCodes.Status502BadGateway),
        };
    }

    private static async Task<IResult> CheckInsAsync(Guid siteId, DateTimeOffset? from, DateTimeOffset? to, VideoLinkDbContext db, CancellationToken ct)
    {
        if (!await db.Sites.AnyAsync(s => s.Id == siteId, ct))
        {
            return ApiProblems.NotFound("The site");
        }

        var query = db.CheckIns.AsNoTracking().Where(c => c.SiteId == siteId);
        if (from is { } f)
        {
            var fromUtc = f.UtcDateTime;
            query = query.Where(c => c.DeviceTimeUtc >= fromUtc);
        }

        if (to is { } t)
        {
            var toUtc = t.UtcDateTime;
            query = query.Where(c => c.DeviceTimeUtc < toUtc);
        }

        var rows = await query.OrderBy(c => c.DeviceTimeUtc).Take(10_000).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(c => new CheckInView(
            c.Id, c.DeviceCode, c.Method, c.PersonMasked, c.Detail,
            new DateTimeOffset(DateTime.SpecifyKind(c.DeviceTimeUtc, DateTimeKind.Utc)),
            new DateTimeOffset(DateTime.SpecifyKind(c.ReceivedUtc, DateTimeKind.Utc)))).ToList());
    }

    private static async Task<IResult> EnrollmentAsync(Guid siteId, VideoLinkDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var site = await db.VisibleSiteAsync(siteId, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        var token = AgentCredentials.NewSecret();
        var now = clock.GetUtcNow();
        db.AgentEnrollments.Add(new AgentEnrollment
        {
            Id = Guid.NewGuid(),
            SiteId = site.Id,
            TokenHash = AgentCredentials.Hash(token),
            CreatedUtc = now.UtcDateTime,
            ExpiresUtc = now.Add(EnrollmentLifetime).UtcDateTime,
            OrgPath = site.OrgPath,
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/sites/{siteId}/agent-enrollments", new EnrollmentView(site.Id, token, now.Add(EnrollmentLifetime)));
    }

    /// <summary>An agent trades a one-time enrolment token for its own long-lived credential.</summary>
    private static async Task<IResult> EnrollAsync(EnrollRequest request, VideoLinkDbContext db, OrgScopeAccessor scope, PersonalData personal, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Token) || request.Token.Length > 200)
        {
            return new Validation().Require(false, "token", "is required").Problem();
        }

        // Anonymous by nature: the token is the proof. The enrolment's own site bounds what is written.
        scope.Current = OrgScope.System;
        var hash = AgentCredentials.Hash(request.Token);
        var now = clock.GetUtcNow().UtcDateTime;
        var enrollment = await db.AgentEnrollments.FirstOrDefaultAsync(e => e.TokenHash == hash, ct);
        if (enrollment is null || enrollment.UsedUtc is not null || enrollment.ExpiresUtc <= now)
        {
            return TypedResults.Problem(title: "Enrolment refused", detail: "The enrolment token is unknown, used or expired.", statusCode: StatusCodes.Status401Unauthorized);
        }

        enrollment.UsedUtc = now;
        var secret = AgentCredentials.NewSecret();
        var agent = await db.StationAgents.FirstOrDefaultAsync(a => a.SiteId == enrollment.SiteId, ct);
        if (agent is null)
        {
            agent = new EnrolledAgent { Id = Guid.NewGuid(), SiteId = enrollment.SiteId, SecretHash = "", OrgPath = enrollment.OrgPath };
            db.StationAgents.Add(agent);
        }

        // Re-enrolling a site replaces the previous agent's secret (a replaced PC cannot keep talking for the site).
        agent.SecretHash = AgentCredentials.Hash(secret);
        agent.EnrolledUtc = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new EnrolledView(agent.Id, agent.SiteId, AgentCredentials.Token(agent.Id, secret), AgentHubMethods.Path, personal.IdNumberSalt));
    }

    private static async Task<IResult> PrepareAsync(Guid siteId, PrepareRequest? request, bool release, VideoLinkDbContext db, StationControl control, PreparationPlans plans, CancellationToken ct)
    {
        var site = await db.VisibleSiteAsync(siteId, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        try
        {
            var result = await control.PrepareAsync(siteId, new PreparationRequest(release ? "release" : "prepare", request?.RoomId, request?.At, plans.For(site.Kind, release)), ct);
            return TypedResults.Ok(result);
        }
        catch (SiteOfflineException)
        {
            return ApiProblems.Conflict("The site's station agent is offline.");
        }
    }
}

[JsonSerializable(typeof(DeviceCommandResponse))]
internal sealed partial class StationsJson : JsonSerializerContext;

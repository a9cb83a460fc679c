using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Security;
using VideoLink.Hub.Seeding;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

public sealed record DeviceView(Guid Id, Guid SiteId, string Code, string Name, DeviceKind Kind, string Driver, string? Port, string? Host, int? Address, JsonElement? Options, string Status);

public sealed record DeviceRequest(Guid? SiteId, string? Code, string? Name, DeviceKind? Kind, string? Driver, string? Port, string? Host, int? Address, JsonElement? Options);

internal static class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/devices").WithTags("Devices");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.DirectoryWrite);
        return api;
    }

    private static async Task<IResult> ListAsync(VideoLinkDbContext db, Guid? siteId, DeviceKind? kind, CancellationToken ct)
    {
        var query = db.Devices.AsNoTracking();
        if (siteId is { } s)
        {
            if (!await db.Sites.AnyAsync(x => x.Id == s, ct))
            {
                return ApiProblems.NotFound("The site");
            }

            query = query.Where(d => d.SiteId == s);
        }

        if (kind is { } k)
        {
            query = query.Where(d => d.Kind == k);
        }

        var rows = await query.OrderBy(d => d.SiteId).ThenBy(d => d.Code).Take(5000).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(View).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, CancellationToken ct)
    {
        var d = await db.Devices.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return d is null ? ApiProblems.NotFound("The device") : TypedResults.Ok(View(d));
    }

    private static async Task<IResult> CreateAsync(DeviceRequest request, VideoLinkDbContext db, CancellationToken ct)
    {
        var check = Validate(request, creating: true);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var site = await db.VisibleSiteAsync(request.SiteId, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        if (await db.Devices.AnyAsync(d => d.SiteId == site.Id && d.Code == request.Code, ct))
        {
            return ApiProblems.Conflict($"The site already has a device '{request.Code}'.");
        }

        var device = new Device
        {
            Id = Guid.NewGuid(),
            SiteId = site.Id,
            Code = request.Code!,
            Name = request.Name!,
            Kind = request.Kind!.Value,
            Driver = request.Driver!,
            Port = request.Port,
            Host = request.Host,
            Address = request.Address,
            OptionsJson = request.Options?.GetRawText(),
            OrgPath = site.OrgPath,
        };
        db.Devices.Add(device);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/devices/{device.Id}", View(device));
    }

    private static async Task<IResult> UpdateAsync(Guid id, DeviceRequest request, VideoLinkDbContext db, CancellationToken ct)
    {
        var device = await db.Devices.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (device is null)
        {
            return ApiProblems.NotFound("The device");
        }

        var check = Validate(request, creating: false)
            .Require(request.SiteId is null || request.SiteId == device.SiteId, "siteId", "a device cannot move between sites; delete and create it");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        device.Name = string.IsNullOrWhiteSpace(request.Name) ? device.Name : request.Name;
        device.Kind = request.Kind ?? device.Kind;
        device.Driver = request.Driver ?? device.Driver;
        device.Port = request.Port ?? device.Port;
        device.Host = request.Host ?? device.Host;
        device.Address = request.Address ?? device.Address;
        device.OptionsJson = request.Options?.GetRawText() ?? device.OptionsJson;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(device));
    }

    private static Task<IResult> DeleteAsync(Guid id, VideoLinkDbContext db, CancellationToken ct) =>
        DirectoryRows.DeleteAsync<Device>(db, id, "The device", ct);

    private static Validation Validate(DeviceRequest r, bool creating) => new Validation()
        .Require(!creating || r.SiteId is not null, "siteId", "is required")
        .Text(r.Code, "code", 64, required: creating)
        .Require(r.Code is null || SeedValidator.CodePattern().IsMatch(r.Code), "code", "letters, digits, '.', '_' or '-'")
        .Text(r.Name, "name", 200, required: creating)
        .Require(!creating || r.Kind is not null, "kind", "is required")
        .Require(creating ? r.Driver is not null && SeedValidator.KnownDrivers.Contains(r.Driver) : r.Driver is null || SeedValidator.KnownDrivers.Contains(r.Driver), "driver", "one of " + string.Join(", ", SeedValidator.KnownDrivers.Order(StringComparer.Ordinal)))
        .Text(r.Port, "port", 256, required: false)
        .Text(r.Host, "host", 256, required: false)
        .Require(r.Address is null or >= 0 and <= 255, "address", "0 to 255")
        .Require(r.Options is null || r.Options.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null, "options", "must be a JSON object");

    /// <summary>Live status arrives with the station agent (issue 6); until an agent reports, a device is Unknown.</summary>
    private static DeviceView View(Device d) =>
        new(d.Id, d.SiteId, d.Code, d.Name, d.Kind, d.Driver, d.Port, d.Host, d.Address,
            d.OptionsJson is null ? null : JsonDocument.Parse(d.OptionsJson).RootElement.Clone(), "Unknown");
}

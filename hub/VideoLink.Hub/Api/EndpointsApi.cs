using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Security;
using VideoLink.Hub.SipAccounts;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

/// <summary>An endpoint as the API shows it: the SIP password is write-only and never returned.</summary>
public sealed record EndpointView(Guid Id, Guid SiteId, EndpointKind Kind, string? SipUser, string DisplayName, bool HasPassword, bool Online);

public sealed record EndpointRequest(Guid? SiteId, EndpointKind? Kind, string? SipUser, string? Password, string? DisplayName);

internal static class EndpointsApi
{
    public const int MinimumSipPasswordLength = 8;

    public static RouteGroupBuilder MapEndpointsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/endpoints").WithTags("Endpoints");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.DirectoryRead);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.DirectoryWrite);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.DirectoryWrite);
        return api;
    }

    private static async Task<IResult> ListAsync(VideoLinkDbContext db, Presence presence, Guid? siteId, EndpointKind? kind, CancellationToken ct)
    {
        var query = db.Endpoints.AsNoTracking();
        if (siteId is { } s)
        {
            if (!await db.Sites.AnyAsync(x => x.Id == s, ct))
            {
                return ApiProblems.NotFound("The site");
            }

            query = query.Where(e => e.SiteId == s);
        }

        if (kind is { } k)
        {
            query = query.Where(e => e.Kind == k);
        }

        var rows = await query.OrderBy(e => e.SipUser).ThenBy(e => e.DisplayName).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(e => View(e, presence)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, VideoLinkDbContext db, Presence presence, CancellationToken ct)
    {
        var e = await db.Endpoints.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return e is null ? ApiProblems.NotFound("The endpoint") : TypedResults.Ok(View(e, presence));
    }

    private static async Task<IResult> CreateAsync(EndpointRequest request, VideoLinkDbContext db, SipCredentialFactory credentials, Presence presence, CancellationToken ct)
    {
        var kind = request.Kind ?? EndpointKind.Sip;
        var check = new Validation()
            .Require(request.SiteId is not null, "siteId", "is required")
            .Text(request.DisplayName, "displayName", 200)
            .Require(kind != EndpointKind.Sip || (request.SipUser is not null && Seeding.SeedValidator.SipUserPattern().IsMatch(request.SipUser)), "sipUser", "letters, digits, '.', '_' or '-' (at most 64)")
            .Require(kind != EndpointKind.Sip || (request.Password is { Length: >= MinimumSipPasswordLength and <= 128 }), "password", $"{MinimumSipPasswordLength} to 128 characters")
            .Require(kind != EndpointKind.Web || (request.SipUser is null && request.Password is null), "sipUser", "a Web endpoint has no SIP account");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var site = await db.VisibleSiteAsync(request.SiteId, ct);
        if (site is null)
        {
            return ApiProblems.NotFound("The site");
        }

        if (kind == EndpointKind.Sip && await db.Endpoints.IgnoreQueryFilters().AnyAsync(e => e.SipUser == request.SipUser, ct))
        {
            return ApiProblems.Conflict($"The SIP user '{request.SipUser}' is taken.");
        }

        var endpoint = new SiteEndpoint
        {
            Id = Guid.NewGuid(),
            SiteId = site.Id,
            Kind = kind,
            SipUser = request.SipUser,
            DisplayName = request.DisplayName!,
            OrgPath = site.OrgPath,
        };
        if (kind == EndpointKind.Sip)
        {
            credentials.SetPassword(endpoint, request.Password!);
        }

        db.Endpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/endpoints/{endpoint.Id}", View(endpoint, presence));
    }

    private static async Task<IResult> UpdateAsync(Guid id, EndpointRequest request, VideoLinkDbContext db, SipCredentialFactory credentials, Presence presence, CancellationToken ct)
    {
        var endpoint = await db.Endpoints.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (endpoint is null)
        {
            return ApiProblems.NotFound("The endpoint");
        }

        var check = new Validation()
            .Text(request.DisplayName, "displayName", 200, required: false)
            .Require(request.SipUser is null || request.SipUser == endpoint.SipUser, "sipUser", "cannot be changed; create a new endpoint")
            .Require(request.Kind is null || request.Kind == endpoint.Kind, "kind", "cannot be changed")
            .Require(request.Password is null || (endpoint.Kind == EndpointKind.Sip && request.Password.Length is >= MinimumSipPasswordLength and <= 128), "password", $"{MinimumSipPasswordLength} to 128 characters, SIP endpoints only");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        if (request.SiteId is { } siteId && siteId != endpoint.SiteId)
        {
            var site = await db.VisibleSiteAsync(siteId, ct);
            if (site is null)
            {
                return ApiProblems.NotFound("The site");
            }

            endpoint.SiteId = site.Id;
            endpoint.OrgPath = site.OrgPath;
        }

        if (!string.IsNullOrWhiteSpace(request.DisplayName))
        {
            endpoint.DisplayName = request.DisplayName;
        }

        if (request.Password is not null)
        {
            credentials.SetPassword(endpoint, request.Password);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(View(endpoint, presence));
    }

    private static Task<IResult> DeleteAsync(Guid id, VideoLinkDbContext db, CancellationToken ct) =>
        DirectoryRows.DeleteAsync<SiteEndpoint>(db, id, "The endpoint", ct);

    private static EndpointView View(SiteEndpoint e, Presence presence) =>
        new(e.Id, e.SiteId, e.Kind, e.SipUser, e.DisplayName, e.SipHa1Md5 is not null, presence.IsEndpointOnline(e.Id));
}

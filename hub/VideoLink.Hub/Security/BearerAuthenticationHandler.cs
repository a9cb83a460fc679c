using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Security;

/// <summary>
/// Authenticates "Authorization: Bearer …" (or <c>access_token</c> on SignalR's WebSocket upgrade), loads the user
/// fresh from the database (a deleted user's token stops working at once) and sets the request's <see cref="OrgScope"/>.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BearerTokens tokens,
    VideoLinkDbContext db,
    OrgScopeAccessor scope)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string OrgUnitClaim = "videolink:org";
    public const string OrgPathClaim = "videolink:orgpath";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (token.StartsWith(Consultations.KioskTokens.Prefix, StringComparison.Ordinal))
        {
            return await AuthenticateKioskAsync(token);
        }

        if (!tokens.TryValidate(token, out var userId))
        {
            return AuthenticateResult.Fail("Invalid or expired token.");
        }

        var user = await db.Users.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(u => u.Id == userId, Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("Unknown user.");
        }

        scope.Current = OrgScope.ForUser(user.Id, user.Role, user.OrgPath);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.Username),
                new Claim(ClaimTypes.Role, user.Role.ToString()),
                new Claim(OrgUnitClaim, user.OrgUnitId.ToString()),
                new Claim(OrgPathClaim, user.OrgPath),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>A kiosk acts for its one site: its scope is the site's org path, its only role "Kiosk".</summary>
    private async Task<AuthenticateResult> AuthenticateKioskAsync(string token)
    {
        if (!Consultations.KioskTokens.TryParse(token, out var id, out var secret))
        {
            return AuthenticateResult.Fail("Malformed kiosk token.");
        }

        var credential = await db.KioskCredentials.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(k => k.Id == id && k.RevokedUtc == null, Context.RequestAborted);
        if (credential is null || !Consultations.KioskTokens.Matches(secret, credential.SecretHash))
        {
            return AuthenticateResult.Fail("Unknown or revoked kiosk token.");
        }

        var unit = await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => s.Id == credential.SiteId)
            .Select(s => new { s.OrgUnitId, s.OrgPath }).FirstOrDefaultAsync(Context.RequestAborted);
        if (unit is null)
        {
            return AuthenticateResult.Fail("The kiosk's site is gone.");
        }

        scope.Current = OrgScope.ForSubtree(unit.OrgPath);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, credential.Id.ToString()),
                new Claim(ClaimTypes.Name, "kiosk:" + credential.SiteId),
                new Claim(ClaimTypes.Role, Consultations.KioskTokens.Role),
                new Claim(Consultations.KioskTokens.SiteClaim, credential.SiteId.ToString()),
                new Claim(OrgUnitClaim, unit.OrgUnitId.ToString()),
                new Claim(OrgPathClaim, unit.OrgPath),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private string? ReadToken()
    {
        string? header = Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        // Browsers cannot set headers on a WebSocket upgrade; SignalR sends the token in the query string.
        if (Request.Path.StartsWithSegments("/hubs") && Request.Query.TryGetValue("access_token", out var q))
        {
            return q.ToString();
        }

        return null;
    }
}

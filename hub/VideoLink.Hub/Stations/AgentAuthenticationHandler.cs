using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Stations;

/// <summary>Authenticates a station agent by its own token (never a user login); the agent acts only for its site.</summary>
public sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    VideoLinkDbContext db,
    OrgScopeAccessor scope)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Agent";
    public const string AgentClaim = "videolink:agent";
    public const string SiteClaim = "videolink:site";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        string? token = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (token is null && Request.Query.TryGetValue("access_token", out var q))
        {
            token = q.ToString();
        }

        if (token is null || !AgentCredentials.TryParse(token, out var agentId, out var secret))
        {
            return AuthenticateResult.NoResult();
        }

        var agent = await db.StationAgents.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.Id == agentId, Context.RequestAborted);
        if (agent is null || !AgentCredentials.Matches(secret, agent.SecretHash))
        {
            return AuthenticateResult.Fail("Unknown agent or wrong secret.");
        }

        scope.Current = OrgScope.ForSubtree(agent.OrgPath);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, agent.Id.ToString()),
                new Claim(AgentClaim, agent.Id.ToString()),
                new Claim(SiteClaim, agent.SiteId.ToString()),
                new Claim(BearerAuthenticationHandler.OrgPathClaim, agent.OrgPath),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

using VideoLink.Hub.Security;

namespace VideoLink.Hub.Api;

public sealed record LoginRequest(string? Username, string? Password);

public sealed record LoginResponse(string Token, UserView User);

internal static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous();
        return api;
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, LoginService login, CancellationToken ct)
    {
        var check = new Validation().Text(request.Username, "username", 64).Text(request.Password, "password", 256);
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var (outcome, token, user) = await login.LoginAsync(request.Username!, request.Password!, ct);
        return outcome switch
        {
            LoginOutcome.Success => TypedResults.Ok(new LoginResponse(token!, UserView.From(user!, null))),
            LoginOutcome.LockedOut => TypedResults.Problem(
                title: "Account locked",
                detail: "Too many failed logins; try again later or ask an administrator to unlock the account.",
                statusCode: StatusCodes.Status429TooManyRequests),
            _ => TypedResults.Problem(title: "Login failed", detail: "Wrong username or password.", statusCode: StatusCodes.Status401Unauthorized),
        };
    }
}

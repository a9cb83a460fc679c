namespace VideoLink.Hub.Api;

/// <summary>The problem responses the directory endpoints share.</summary>
internal static class ApiProblems
{
    /// <summary>Not found — also what a caller gets for rows outside their subtree, so existence is not revealed.</summary>
    public static IResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: $"{what} was not found.", statusCode: StatusCodes.Status404NotFound);

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Forbidden", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);
}

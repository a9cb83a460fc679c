using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Security;

namespace VideoLink.Hub.Api;

/// <summary>
/// Turns the exceptions that bad input can cause into RFC 9457 problem details with a 4xx status: malformed JSON,
/// bad enum values and oversize bodies (400/413), writes outside the caller's subtree (403), duplicate keys (409).
/// Anything else is a 500 without internals.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request", Describe(bad)),
            OrgScopeViolationException scope => (StatusCodes.Status403Forbidden, "Outside your organisation unit", scope.Message),
            DbUpdateException => (StatusCodes.Status409Conflict, "Conflict", "The change conflicts with existing data (a duplicate or a row still in use)."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", (string?)null),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", (string?)null),
        };
        if (status >= 500)
        {
            LogUnhandled(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static string Describe(BadHttpRequestException bad)
    {
        // The framework's message names the parameter and the reason (e.g. "Failed to read parameter ... as JSON").
        var inner = bad.InnerException?.Message;
        return inner is null ? bad.Message : $"{bad.Message} {inner}";
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception ex);
}

/// <summary>Small helpers for request validation that answer with a ValidationProblem naming each field.</summary>
internal sealed class Validation
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        }

        return this;
    }

    public Validation Text(string? value, string field, int max, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Require(!required, field, "is required");
        }

        return Require(value.Length <= max, field, $"at most {max} characters");
    }

    public IResult Problem() => TypedResults.ValidationProblem(_errors, title: "Invalid request");
}

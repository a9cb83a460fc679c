using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VideoLink.Hub.Health;

/// <summary>Set once the database is migrated and the district seeded; <c>/health/ready</c> reports it.</summary>
public sealed class Readiness
{
    private volatile string? _failure;
    private volatile bool _ready;

    public bool IsReady => _ready;

    public string? Failure => _failure;

    public void MarkReady() => _ready = true;

    public void MarkFailed(string reason) => _failure = reason;
}

internal sealed class ReadinessHealthCheck(Readiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy("Database migrated and seeds loaded.")
            : HealthCheckResult.Unhealthy(readiness.Failure ?? "Starting: migrating the database and loading seeds."));
}

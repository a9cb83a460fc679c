using System.Text.Json;
using VideoLink.Hub.Storage.Entities;
using VideoLink.StationAgent.Contracts;

namespace VideoLink.Hub.Stations;

/// <summary>
/// What "prepare for a meeting" and "release" mean at each kind of site — data in <c>preparation-plans.json</c>
/// (copied next to the hub), not code, so a district can change it without a release.
/// </summary>
public sealed class PreparationPlans
{
    public const string FileName = "preparation-plans.json";

    private readonly Dictionary<string, PlanPair> _plans;

    public PreparationPlans()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Stations", FileName);
        _plans = JsonSerializer.Deserialize<Dictionary<string, PlanPair>>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidDataException($"{FileName} is empty.");
    }

    public IReadOnlyList<PreparationStep> For(SiteKind kind, bool release) =>
        _plans.TryGetValue(kind.ToString(), out var plan) || _plans.TryGetValue("default", out plan)
            ? (release ? plan.Release : plan.Prepare)
            : [];

    public sealed record PlanPair(List<PreparationStep> Prepare, List<PreparationStep> Release);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoLink.Hardware.Models;

/// <summary>Per-model camera limits (speed ranges, preset range) from <c>Models/models.json</c>.</summary>
public sealed record CameraModel
{
    /// <summary>Highest pan speed code.</summary>
    public int MaxPanSpeed { get; init; }

    /// <summary>Highest tilt speed code.</summary>
    public int MaxTiltSpeed { get; init; }

    /// <summary>Lowest preset number.</summary>
    public int MinPreset { get; init; }

    /// <summary>Highest preset number.</summary>
    public int MaxPreset { get; init; }

    /// <summary>Maps 1–100 % onto 1..<paramref name="max"/>.</summary>
    public static int ScaleSpeed(int percent, int max) =>
        Math.Clamp((int)Math.Round(Math.Clamp(percent, 1, 100) * max / 100.0), 1, max);
}

/// <summary>Per-model display tables (input codes, volume range).</summary>
public sealed record DisplayModel
{
    /// <summary>Input name (upper case) → protocol code as hex text.</summary>
    public Dictionary<string, string> Inputs { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Highest volume value.</summary>
    public int MaxVolume { get; init; }

    /// <summary>Looks up an input by name, case-insensitively.</summary>
    public bool TryGetInput(string name, out string code)
    {
        foreach (var (key, value) in Inputs)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                code = value;
                return true;
            }
        }

        code = string.Empty;
        return false;
    }
}

/// <summary>The model quirk tables embedded in the assembly.</summary>
public sealed class DeviceModels
{
    private static readonly Lazy<DeviceModels> Embedded = new(LoadEmbedded);

    /// <summary>Cameras by model id.</summary>
    [JsonPropertyName("cameras")]
    public Dictionary<string, CameraModel> Cameras { get; init; } = [];

    /// <summary>Displays by model id.</summary>
    [JsonPropertyName("displays")]
    public Dictionary<string, DisplayModel> Displays { get; init; } = [];

    /// <summary>The built-in tables.</summary>
    public static DeviceModels Default => Embedded.Value;

    /// <summary>A camera model, or <paramref name="fallback"/> when the id is unknown or null.</summary>
    public CameraModel Camera(string? id, string fallback) =>
        id is not null && Cameras.TryGetValue(id, out var model) ? model : Cameras[fallback];

    /// <summary>A display model, or <paramref name="fallback"/>.</summary>
    public DisplayModel Display(string? id, string fallback) =>
        id is not null && Displays.TryGetValue(id, out var model) ? model : Displays[fallback];

    private static DeviceModels LoadEmbedded()
    {
        using var stream = typeof(DeviceModels).Assembly.GetManifestResourceStream("VideoLink.Hardware.Models.models.json")
            ?? throw new InvalidOperationException("models.json is not embedded.");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };
        return JsonSerializer.Deserialize<DeviceModels>(stream, options) ?? throw new InvalidOperationException("models.json is empty.");
    }
}

using System.Text.Json;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>Reading a live room through <c>GET /api/rooms/{id}</c> the way a console does: poll until something is true.</summary>
internal static class RoomApi
{
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    public static async Task<JsonElement> UntilAsync(HttpClient client, string url, Func<JsonElement, bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWithin);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetJsonAsync(url);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{what} did not happen in time: {last}");
        return last;
    }

    /// <summary>The leg whose video <paramref name="leg"/> is shown, or null.</summary>
    public static Guid? Watching(JsonElement room, Guid leg)
    {
        var w = room.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == leg).GetProperty("watching");
        return w.ValueKind == JsonValueKind.String ? w.GetGuid() : null;
    }
}

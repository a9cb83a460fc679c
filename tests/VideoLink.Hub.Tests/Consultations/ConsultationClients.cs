using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>The two sides of a consultation as API clients: an expert login and a site's kiosk credential.</summary>
internal static class ConsultationClients
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public sealed record ExpertClient(HttpClient Http, Guid Id, Guid UserId, string Token, string Username);

    public static async Task<ExpertClient> ExpertAsync(HubFactory hub, HttpClient admin, Guid station, string presence = "Available", params string[] categories)
    {
        var username = "ex" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostJsonAsync("/api/experts", new { username, password = "Expert-pass1", displayName = "专家" + username[^4..], siteId = station, categories = categories.Length == 0 ? ["medical"] : categories });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.JsonAsync();
        var client = await hub.LoginAsync(username, "Expert-pass1");
        var set = await client.PutJsonAsync("/api/experts/me/presence", new { status = presence });
        Assert.True(set.StatusCode == HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        return new ExpertClient(client, body.GetProperty("id").GetGuid(), body.GetProperty("userId").GetGuid(), client.DefaultRequestHeaders.Authorization!.Parameter!, username);
    }

    public static async Task<(HttpClient Http, string Token)> KioskAsync(HubFactory hub, HttpClient admin, Guid site)
    {
        var issued = await admin.PostJsonAsync($"/api/sites/{site}/kiosk-token", new { });
        Assert.True(issued.StatusCode == HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        var token = (await issued.JsonAsync()).GetProperty("token").GetString()!;
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, token);
    }

    public static async Task<JsonElement> RequestAsync(HttpClient kiosk, Guid site, string category = "medical")
    {
        var response = await kiosk.PostJsonAsync("/api/consultations", new { siteId = site, category });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    /// <summary>Polls the expert's offers until one for <paramref name="consultation"/> (or any, if null) rings.</summary>
    public static async Task<JsonElement> OfferAsync(ExpertClient expert, Guid? consultation = null)
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            var offers = await expert.Http.GetJsonAsync("/api/experts/me/offers");
            foreach (var offer in offers.EnumerateArray())
            {
                if (consultation is null || offer.GetProperty("id").GetGuid() == consultation)
                {
                    return offer;
                }
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"No offer reached expert {expert.Id} within {Deadline}.");
    }

    public static async Task<JsonElement> UntilAsync(HttpClient client, string url, Func<JsonElement, bool> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        JsonElement last = default;
        while (DateTime.UtcNow < until)
        {
            last = await client.GetJsonAsync(url);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{url} never met the condition; last: {last}");
    }

    public static async Task<Guid> AcceptAsync(ExpertClient expert, Guid consultation)
    {
        var accepted = await expert.Http.PostJsonAsync($"/api/consultations/{consultation}/accept", new { });
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        return (await accepted.JsonAsync()).GetProperty("roomId").GetGuid();
    }

    /// <summary>A valid 18-character resident ID (GB 11643 check character) from a 17-digit body.</summary>
    public static string ResidentId(string body17) =>
        "0123456789X".Select(c => body17 + c).First(VideoLink.Hub.Security.PersonalData.IsValidResidentId);
}

/// <summary>
/// The consultation tests each start their own hub (and one of them 300 requests at once): they run one after another
/// so they do not starve each other on a small machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConsultationCollection
{
    public const string Name = "Consultations";
}

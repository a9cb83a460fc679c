using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.SipAccounts;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Sip;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Sip;

/// <summary>
/// The HA1 cache is filled in bulk (<see cref="SipAccountCacheLoader"/>): phones that register for the first time, or
/// all at once after an outage, find their account in memory instead of queueing one database read each.
/// </summary>
public sealed class SipAccountCacheTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private SipAccountCache Cache
    {
        get
        {
            _ = hub.Server;
            _ = hub.Services.GetRequiredService<SipServer>();
            return hub.Services.GetRequiredService<SipAccountCache>();
        }
    }

    [Fact]
    public async Task SeededSipAccounts_AreCachedWithTheirEndpoint_BeforeAnyRegistration()
    {
        var cache = Cache;

        await Poll.UntilAsync(() => cache.TryGet("82001", out var a) && a is not null, Timeout, "seeded account 82001 loaded at start");

        Assert.True(cache.TryGet("82001", out var account));
        Assert.NotNull(account!.Ha1Md5);
        Assert.Null(account.Password); // only HA1 reaches the SIP stack
        Assert.True(cache.TryGetEndpointId("82001", out var endpointId));
        Assert.NotEqual(Guid.Empty, endpointId);
    }

    [Fact]
    public async Task EndpointCreatedThroughTheApi_IsLoadedAfterTheSave_AndGoneOnceDeleted()
    {
        var cache = Cache;
        var admin = await hub.LoginAsync();
        const string user = "89101";

        var created = await admin.PostJsonAsync("/api/endpoints", new { siteId = SampleDistrict.KioskOfVillage2Of1, kind = "Sip", sipUser = user, password = "Cached-pass-1", displayName = "Cached phone" });
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        await Poll.UntilAsync(() => cache.TryGet(user, out var a) && a is not null, Timeout, "new account loaded without a registration");
        var deleted = await admin.DeleteAsync($"/api/endpoints/{id}");
        await Poll.UntilAsync(() => !cache.TryGet(user, out var a) || a is null, Timeout, "deleted account no longer cached");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(deleted.IsSuccessStatusCode, deleted.StatusCode.ToString());
        Assert.True(cache.Lookup(user, out var gone) != SipAccountCacheState.Fresh || gone is null);
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace VideoLink.Hub.Tests.Security;

/// <summary>
/// Walks every registered /api endpoint × every role × (own subtree, sibling, ancestor) for a user placed at
/// township 1. A new endpoint that is not in <see cref="Routes"/> fails this test until its rule is written down.
/// </summary>
public sealed class AuthorizationMatrixTests(HubFactory hub, ITestOutputHelper output) : IClassFixture<HubFactory>
{
    private enum Position
    {
        Own,
        Sibling,
        Ancestor,
    }

    private enum Rule
    {
        /// <summary>Anyone, no login (login itself, category names for the kiosk).</summary>
        Public,
        /// <summary>Any logged-in role, limited to the own subtree.</summary>
        Read,
        /// <summary>Directory writers (DistrictAdmin, BranchAdmin), limited to the own subtree.</summary>
        Write,
        /// <summary>User administrators, limited to the own subtree.</summary>
        UserAdmin,
        /// <summary>Device controllers (admins, OrgStaff, StationAttendant), limited to the own subtree.</summary>
        DeviceControl,
        /// <summary>Room hosts (everyone but Member), limited to the own subtree.</summary>
        RoomHost,
        /// <summary>District administrators only (whole-node data).</summary>
        SystemAdmin,
        /// <summary>Experts acting for themselves (expert app), by participation rather than by the tree.</summary>
        ExpertSelf,
        /// <summary>Notice senders (admins, OrgStaff, EducationManager), limited to the own subtree.</summary>
        NoticeSend,
    }

    private sealed record Route(string Kind, Rule Read, Rule Write);

    /// <summary>Every /api route pattern (without the trailing slash) and the rule it follows.</summary>
    private static readonly Dictionary<string, Route> Routes = new(StringComparer.Ordinal)
    {
        ["/api/auth/login"] = new("login", Rule.Public, Rule.Public),
        ["/api/consultations/categories"] = new("categories", Rule.Public, Rule.Public),
        ["/api/{**rest}"] = new("fallback", Rule.Public, Rule.Public),
        ["/api/users/me"] = new("me", Rule.Read, Rule.Read),
        ["/api/users"] = new("users", Rule.UserAdmin, Rule.UserAdmin),
        ["/api/users/{id:guid}"] = new("users", Rule.UserAdmin, Rule.UserAdmin),
        ["/api/org-units"] = new("org-units", Rule.Read, Rule.Write),
        ["/api/org-units/tree"] = new("tree", Rule.Read, Rule.Read),
        ["/api/org-units/{id:guid}"] = new("org-units", Rule.Read, Rule.Write),
        ["/api/sites"] = new("sites", Rule.Read, Rule.Write),
        ["/api/sites/{id:guid}"] = new("sites", Rule.Read, Rule.Write),
        ["/api/endpoints"] = new("endpoints", Rule.Read, Rule.Write),
        ["/api/endpoints/{id:guid}"] = new("endpoints", Rule.Read, Rule.Write),
        ["/api/people"] = new("people", Rule.Read, Rule.Write),
        ["/api/people/{id:guid}"] = new("people", Rule.Read, Rule.Write),
        ["/api/devices"] = new("devices", Rule.Read, Rule.Write),
        ["/api/devices/{id:guid}"] = new("devices", Rule.Read, Rule.Write),
        ["/api/experts"] = new("experts", Rule.Read, Rule.Write),
        ["/api/experts/me"] = new("expert-me", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/experts/me/presence"] = new("expert-me", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/experts/me/offers"] = new("expert-me", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/experts/me/colleagues"] = new("expert-me", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/consultations"] = new("consultations", Rule.Read, Rule.DeviceControl),
        ["/api/consultations/stats"] = new("stats", Rule.Read, Rule.Read),
        ["/api/consultations/queues"] = new("stats", Rule.Read, Rule.Read),
        ["/api/consultations/{id:guid}"] = new("consultations", Rule.Read, Rule.Read),
        ["/api/consultations/{id:guid}/site"] = new("consultations", Rule.Read, Rule.Read),
        ["/api/consultations/{id:guid}/cancel"] = new("consultation-action", Rule.DeviceControl, Rule.DeviceControl),
        ["/api/consultations/{id:guid}/rating"] = new("consultation-action", Rule.DeviceControl, Rule.DeviceControl),
        ["/api/consultations/{id:guid}/callback/close"] = new("consultation-action", Rule.DeviceControl, Rule.DeviceControl),
        ["/api/consultations/{id:guid}/accept"] = new("consultation-action", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/consultations/{id:guid}/decline"] = new("consultation-action", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/consultations/{id:guid}/end"] = new("consultation-action", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/consultations/{id:guid}/transfer"] = new("consultation-action", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/consultations/{id:guid}/invite"] = new("consultation-action", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/consultations/{id:guid}/notes"] = new("consultation-action", Rule.ExpertSelf, Rule.ExpertSelf),
        ["/api/sites/{siteId:guid}/kiosk-token"] = new("site-sub", Rule.Write, Rule.Write),
        ["/api/media/ice-servers"] = new("ice", Rule.Read, Rule.Read),
        ["/api/system/counters"] = new("system", Rule.SystemAdmin, Rule.SystemAdmin),
        ["/api/rooms"] = new("rooms", Rule.Read, Rule.RoomHost),
        ["/api/rooms/{id:guid}"] = new("rooms", Rule.Read, Rule.RoomHost),
        ["/api/agents/enroll"] = new("login", Rule.Public, Rule.Public),
        ["/api/sites/{siteId:guid}/devices"] = new("site-sub", Rule.Read, Rule.Read),
        ["/api/sites/{siteId:guid}/checkins"] = new("site-sub", Rule.Read, Rule.Read),
        ["/api/sites/{siteId:guid}/agent-enrollments"] = new("site-sub", Rule.Write, Rule.Write),
        ["/api/sites/{siteId:guid}/devices/{deviceId:guid}/commands"] = new("site-sub", Rule.DeviceControl, Rule.DeviceControl),
        ["/api/sites/{siteId:guid}/prepare"] = new("site-sub", Rule.DeviceControl, Rule.DeviceControl),
        ["/api/sites/{siteId:guid}/release"] = new("site-sub", Rule.DeviceControl, Rule.DeviceControl),
        ["/api/bookings"] = new("bookings", Rule.Read, Rule.RoomHost),
        ["/api/meetings/live"] = new("meetings/live", Rule.Read, Rule.Read),
        ["/api/bookings/{id:guid}"] = new("bookings", Rule.Read, Rule.RoomHost),
        ["/api/bookings/{id:guid}.ics"] = new("booking-sub", Rule.Read, Rule.Read),
        ["/api/bookings/{id:guid}/occurrences/{start}"] = new("booking-sub", Rule.Read, Rule.RoomHost),
        ["/api/bookings/{id:guid}/occurrences/{start}/attendance"] = new("booking-sub", Rule.Read, Rule.Read),
        ["/api/attendance"] = new("attendance", Rule.Read, Rule.Read),
        ["/api/supervision"] = new("attendance", Rule.Read, Rule.Read),
        ["/api/notices"] = new("notices", Rule.Read, Rule.NoticeSend),
        ["/api/notices/{id:guid}"] = new("notice-sub", Rule.Read, Rule.Read),
        ["/api/notices/{id:guid}/read"] = new("notice-sub", Rule.Read, Rule.Read),
        ["/api/notices/{id:guid}/attachment"] = new("notice-sub", Rule.Read, Rule.Read),
        ["/api/notices/{id:guid}/receipts"] = new("notice-sub", Rule.NoticeSend, Rule.NoticeSend),
        ["/api/rooms/{id:guid}/legs"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/legs/{legId:guid}"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/legs/{legId:guid}/mute"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/legs/{legId:guid}/unmute"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/mute-all"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/main-venue"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/roll-call"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/polling"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/video-mode"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/lock"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/pin"] = new("room-sub", Rule.RoomHost, Rule.RoomHost),
        ["/api/rooms/{id:guid}/intervals"] = new("room-sub", Rule.Read, Rule.Read),
    };

    private static readonly string[] AllRoles = ["Member", "Expert", "StationAttendant", "EducationManager", "OrgStaff", "BranchAdmin", "DistrictAdmin"];

    private static bool Allowed(Rule rule, string role) => rule switch
    {
        Rule.Public or Rule.Read => true,
        Rule.Write or Rule.UserAdmin => role is "DistrictAdmin" or "BranchAdmin",
        Rule.RoomHost => role is not "Member",
        Rule.SystemAdmin => role is "DistrictAdmin",
        Rule.DeviceControl => role is "DistrictAdmin" or "BranchAdmin" or "OrgStaff" or "StationAttendant",
        Rule.ExpertSelf => role is "Expert",
        Rule.NoticeSend => role is "DistrictAdmin" or "BranchAdmin" or "OrgStaff" or "EducationManager",
        _ => false,
    };

    private HttpClient _admin = null!;
    private readonly Dictionary<Position, Guid> _units = [];
    private readonly Dictionary<Position, Guid> _sites = [];
    private readonly Dictionary<Position, Guid> _stations = [];

    [Fact]
    public async Task EveryApiEndpoint_EveryRole_StaysInsideItsSubtree()
    {
        _admin = await hub.LoginAsync();
        var endpoints = hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .Select(e => (Pattern: e.RoutePattern.RawText!.TrimEnd('/'), Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]))
            .ToList();
        var unknown = endpoints.Select(e => e.Pattern).Where(p => !Routes.ContainsKey(p)).Distinct().ToList();
        Assert.True(unknown.Count == 0, "New API routes need a row in the authorization matrix: " + string.Join(", ", unknown));

        _units[Position.Own] = SampleDistrict.Village1Of1;
        _units[Position.Sibling] = SampleDistrict.Township2;
        _units[Position.Ancestor] = SampleDistrict.District;
        _sites[Position.Own] = SampleDistrict.KioskOfVillage1Of1;
        _sites[Position.Sibling] = SampleDistrict.KioskOfVillage1Of2;
        _sites[Position.Ancestor] = await CreateAsync("sites", Position.Ancestor);
        _stations[Position.Own] = SampleDistrict.StationOfTownship1;
        _stations[Position.Sibling] = SampleDistrict.StationOfTownship2;
        _stations[Position.Ancestor] = await CreateStationAtDistrictAsync();
        var outside = await OutsideIdsAsync();

        var failures = new List<string>();
        var checks = 0;
        foreach (var role in AllRoles)
        {
            var user = await UserAsync(role);
            foreach (var (pattern, methods) in endpoints)
            {
                var route = Routes[pattern];
                foreach (var method in methods)
                {
                    checks += await CheckAsync(user, role, pattern, method, route, outside, failures);
                }
            }
        }

        output.WriteLine($"{checks} checks over {endpoints.Count} endpoints × {AllRoles.Length} roles");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task<int> CheckAsync(HttpClient user, string role, string pattern, string method, Route route, HashSet<Guid> outside, List<string> failures)
    {
        void Expect(bool ok, string what)
        {
            if (!ok)
            {
                failures.Add($"{role} {method} {pattern}: {what}");
            }
        }

        if (route.Kind is "login" or "categories" or "fallback")
        {
            return 0; // public by design; covered by AuthTests and HealthTests
        }

        var collection = "/api/" + route.Kind;
        var checks = 0;
        if (route.Kind == "expert-me")
        {
            // No matrix user has an expert profile: an expert gets 404 (not a refusal), everyone else 403.
            var response = method switch
            {
                "GET" => await user.GetAsync(pattern).WaitAsync(TestTimeouts.Request),
                _ => await user.PutJsonAsync(pattern, new { status = "Available" }),
            };
            var allowed = Allowed(method == "GET" ? route.Read : route.Write, role);
            Expect(allowed ? response.StatusCode == HttpStatusCode.NotFound : response.StatusCode == HttpStatusCode.Forbidden, $"→ {(int)response.StatusCode}");
            return 1;
        }

        if (route.Kind == "consultation-action")
        {
            foreach (var p in Enum.GetValues<Position>())
            {
                var id = await TargetAsync("consultations", p, forDelete: false);
                var url = pattern.Replace("{id:guid}", id.ToString(), StringComparison.Ordinal);
                var response = await user.PostJsonAsync(url, ActionBody(pattern));
                var allowed = Allowed(route.Write, role);
                var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
                if (!allowed)
                {
                    Expect(refused, $"{p} → {(int)response.StatusCode}");
                }
                else if (p == Position.Own)
                {
                    Expect(!refused && (int)response.StatusCode < 500, $"{p} → {(int)response.StatusCode}");
                }
                else
                {
                    Expect(!response.IsSuccessStatusCode && (int)response.StatusCode < 500, $"{p} → {(int)response.StatusCode} (a row outside the subtree was acted on)");
                }

                checks++;
            }

            return checks;
        }
        if (route.Kind == "site-sub")
        {
            foreach (var p in Enum.GetValues<Position>())
            {
                var url = pattern.Replace("{siteId:guid}", _sites[p].ToString(), StringComparison.Ordinal);
                if (url.Contains("{deviceId:guid}", StringComparison.Ordinal))
                {
                    url = url.Replace("{deviceId:guid}", (await TargetAsync("devices", p, forDelete: false)).ToString(), StringComparison.Ordinal);
                }

                var response = method == "GET"
                    ? await user.GetAsync(url).WaitAsync(TestTimeouts.Request)
                    : await user.PostJsonAsync(url, url.EndsWith("/commands", StringComparison.Ordinal) ? new { action = "PowerOn" } : new object());
                var allowed = p == Position.Own && Allowed(method == "GET" ? route.Read : route.Write, role);
                var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized;
                Expect(allowed ? !refused && (int)response.StatusCode < 500 : refused, $"{p} → {(int)response.StatusCode}");
                checks++;
            }

            return checks;
        }

        if (route.Kind == "booking-sub")
        {
            return await BookingSubAsync(user, role, pattern, method, route, Expect);
        }

        if (route.Kind == "notice-sub")
        {
            return await NoticeSubAsync(user, role, pattern, method, route, Expect);
        }

        if (route.Kind == "room-sub")
        {
            // The chair's controls of a room: the room at each position; leg ids that do not exist. An allowed call may
            // say 404 for the *leg* (or 400 for its body) but never for the room; a refused one is 401/403 or 404 for the room.
            foreach (var p in Enum.GetValues<Position>())
            {
                var roomId = await TargetAsync("rooms", p, forDelete: false);
                var url = pattern.Replace("{id:guid}", roomId.ToString(), StringComparison.Ordinal).Replace("{legId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
                var body = RoomControlBody(url);
                var response = method switch
                {
                    "GET" => await user.GetAsync(url).WaitAsync(TestTimeouts.Request),
                    "PUT" => await user.PutJsonAsync(url, body),
                    "DELETE" => await user.DeleteAsync(url).WaitAsync(TestTimeouts.Request),
                    _ => await user.PostJsonAsync(url, body),
                };
                var text = await response.Content.ReadAsStringAsync();
                var roomHidden = response.StatusCode == HttpStatusCode.NotFound && text.Contains("The room was not found", StringComparison.Ordinal);
                var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || roomHidden;
                var allowed = p == Position.Own && Allowed(method == "GET" ? route.Read : route.Write, role);
                Expect(allowed ? !refused && (int)response.StatusCode < 500 : refused, $"{p} → {(int)response.StatusCode} {text}");
                checks++;
            }

            return checks;
        }

        if (!pattern.Contains("{id", StringComparison.Ordinal))
        {
            if (method == "GET")
            {
                var response = await user.GetAsync(pattern).WaitAsync(TestTimeouts.Request);
                var allowed = Allowed(route.Read, role);
                Expect(allowed ? response.StatusCode == HttpStatusCode.OK : response.StatusCode == HttpStatusCode.Forbidden, $"list → {(int)response.StatusCode}");
                if (response.IsSuccessStatusCode)
                {
                    var leaked = Ids(await response.JsonAsync()).Where(outside.Contains).ToList();
                    Expect(leaked.Count == 0, $"list shows {leaked.Count} row(s) outside the subtree");
                }

                if (route.Kind is "sites" or "people" or "users" or "attendance")
                {
                    foreach (var p in new[] { Position.Sibling, Position.Ancestor })
                    {
                        var filtered = await user.GetAsync($"{pattern}?orgUnitId={_units[p]}").WaitAsync(TestTimeouts.Request);
                        Expect(filtered.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"?orgUnitId={p} → {(int)filtered.StatusCode}");
                    }
                }

                if (route.Kind is "endpoints" or "devices")
                {
                    foreach (var p in new[] { Position.Sibling, Position.Ancestor })
                    {
                        var filtered = await user.GetAsync($"{pattern}?siteId={_sites[p]}").WaitAsync(TestTimeouts.Request);
                        Expect(filtered.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"?siteId={p} → {(int)filtered.StatusCode}");
                    }
                }

                return 3;
            }

            if (method == "POST")
            {
                foreach (var p in Enum.GetValues<Position>())
                {
                    var response = await user.PostJsonAsync(collection, CreateBody(route.Kind, p));
                    var allowed = p == Position.Own && Allowed(route.Write, role);
                    Expect(allowed ? response.StatusCode == HttpStatusCode.Created : response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"create at {p} → {(int)response.StatusCode}");
                    checks++;
                }

                return checks;
            }
        }

        foreach (var p in Enum.GetValues<Position>())
        {
            var id = await TargetAsync(route.Kind, p, forDelete: method == "DELETE");
            var url = $"{collection}/{id}";
            HttpResponseMessage response = method switch
            {
                "GET" => await user.GetAsync(url).WaitAsync(TestTimeouts.Request),
                "PUT" => await user.PutJsonAsync(url, UpdateBody(route.Kind)),
                "DELETE" => await user.DeleteAsync(url).WaitAsync(TestTimeouts.Request),
                _ => throw new InvalidOperationException(method),
            };
            var rule = method == "GET" ? route.Read : route.Write;
            var allowed = p == Position.Own && Allowed(rule, role);
            var success = method switch { "DELETE" => HttpStatusCode.NoContent, _ => HttpStatusCode.OK };

            Expect(allowed ? response.StatusCode == success : response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{p} → {(int)response.StatusCode}");
            if (!allowed && method != "GET")
            {
                var still = await _admin.GetAsync(url).WaitAsync(TestTimeouts.Request);
                Expect(still.StatusCode == HttpStatusCode.OK, $"{p} row changed or vanished after a refused {method}");
            }

            checks++;
        }

        return checks;
    }

    private readonly Dictionary<(string, Position), Guid> _targets = [];
    private readonly Dictionary<Guid, DateTime> _bookingStarts = [];
    private int _slot;

    /// <summary>Occurrence routes of a booking at each position; a DELETE gets a fresh booking (it cancels the occurrence).</summary>
    private async Task<int> BookingSubAsync(HttpClient user, string role, string pattern, string method, Route route, Action<bool, string> expect)
    {
        foreach (var p in Enum.GetValues<Position>())
        {
            var id = await TargetAsync("bookings", p, forDelete: method == "DELETE");
            var start = _bookingStarts[id].ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var url = pattern.Replace("{id:guid}", id.ToString(), StringComparison.Ordinal).Replace("{start}", start, StringComparison.Ordinal);
            HttpResponseMessage response = method switch
            {
                "GET" => await user.GetAsync(url).WaitAsync(TestTimeouts.Request),
                "PUT" => await user.PutJsonAsync(url, new { }),
                "DELETE" => await user.DeleteAsync(url).WaitAsync(TestTimeouts.Request),
                _ => throw new InvalidOperationException(method),
            };
            var allowed = p == Position.Own && Allowed(method == "GET" ? route.Read : route.Write, role);
            var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized;
            expect(allowed ? response.IsSuccessStatusCode : refused, $"{p} → {(int)response.StatusCode}");
        }

        return 3;
    }

    /// <summary>
    /// Notices flow down the tree: one sent at the own unit or an ancestor and addressed to the user is theirs to read;
    /// one sent at a sibling is not even found. Receipts are for senders of the own subtree only.
    /// </summary>
    private async Task<int> NoticeSubAsync(HttpClient user, string role, string pattern, string method, Route route, Action<bool, string> expect)
    {
        var me = (await user.GetJsonAsync("/api/users/me")).GetProperty("id").GetGuid();
        foreach (var p in Enum.GetValues<Position>())
        {
            var noticeId = await hub.WithDatabaseAsync(async db =>
            {
                var path = (await db.OrgUnits.SingleAsync(u => u.Id == _units[p])).OrgPath;
                var notice = new VideoLink.Hub.Storage.Entities.Notice
                {
                    Id = Guid.NewGuid(), Title = "矩阵通知", Body = "正文", Kind = "general", SenderOrgUnitId = _units[p], CreatedUtc = DateTime.UtcNow,
                    AttachmentName = "a.csv", Attachment = "a,b", OrgPath = path,
                };
                db.Notices.Add(notice);
                if (p != Position.Sibling)
                {
                    var userPath = (await db.Users.SingleAsync(u => u.Id == me)).OrgPath;
                    db.NoticeRecipients.Add(new VideoLink.Hub.Storage.Entities.NoticeRecipient { Id = Guid.NewGuid(), NoticeId = notice.Id, UserId = me, OrgPath = userPath });
                }

                await db.SaveChangesAsync();
                return notice.Id;
            });
            var url = pattern.Replace("{id:guid}", noticeId.ToString(), StringComparison.Ordinal);
            var response = method == "GET" ? await user.GetAsync(url).WaitAsync(TestTimeouts.Request) : await user.PostJsonAsync(url, new { });
            var allowed = route.Read == Rule.NoticeSend
                ? p == Position.Own && Allowed(Rule.NoticeSend, role)
                : p != Position.Sibling;
            var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized;
            expect(allowed ? response.IsSuccessStatusCode : refused, $"{p} → {(int)response.StatusCode}");
        }

        return 3;
    }

    private async Task<Guid> TargetAsync(string kind, Position p, bool forDelete)
    {
        if (kind == "org-units" && p == Position.Ancestor)
        {
            return SampleDistrict.District;
        }

        if (kind == "sites" && p != Position.Own)
        {
            return _sites[p];
        }

        if (forDelete && p == Position.Own)
        {
            return await CreateAsync(kind, p); // a fresh row each time, since a permitted delete removes it
        }

        if (!_targets.TryGetValue((kind, p), out var id))
        {
            id = _targets[(kind, p)] = await CreateAsync(kind, p);
        }

        return id;
    }

    private async Task<Guid> CreateAsync(string kind, Position p)
    {
        var body = CreateBody(kind, p);
        var response = await _admin.PostJsonAsync("/api/" + kind, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"admin create {kind} at {p}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        if (kind == "bookings")
        {
            _bookingStarts[id] = DateTime.Parse((string)body.GetType().GetProperty("start")!.GetValue(body)!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        }

        return id;
    }

    private object CreateBody(string kind, Position p)
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        return kind switch
        {
            "org-units" => new { parentId = _units[p], code = "m-" + tag, name = "矩阵单元", kind = "PartyBranch" },
            "sites" => new { orgUnitId = _units[p], code = "m-" + tag, name = "矩阵站点", kind = "MeetingRoom" },
            "endpoints" => new { siteId = _sites[p], kind = "Sip", sipUser = "m" + tag, password = "Matrix-pass1", displayName = "矩阵话机" },
            "devices" => new { siteId = _sites[p], code = "m-" + tag, name = "矩阵设备", kind = "Relay", driver = "lcus-relay", port = "/dev/null" },
            "people" => new { orgUnitId = _units[p], name = "矩阵人员" },
            "users" => new { orgUnitId = _units[p], username = "m" + tag, password = "Matrix-pass1", displayName = "矩阵用户", role = "Member" },
            "rooms" => new { orgUnitId = _units[p], name = "矩阵会议" },
            "experts" => new { siteId = _stations[p], username = "m" + tag, password = "Matrix-pass1", displayName = "矩阵专家", categories = new[] { "medical" } },
            "consultations" => new { siteId = _sites[p], category = "medical" },
            "bookings" => BookingBody(p),
            "notices" => new { title = "矩阵通知", body = "正文", targets = new { orgUnitIds = new[] { _units[p] } } },
            _ => throw new InvalidOperationException(kind),
        };
    }

    private static object ActionBody(string pattern) => pattern switch
    {
        _ when pattern.EndsWith("/transfer", StringComparison.Ordinal) => new { category = "legal" },
        _ when pattern.EndsWith("/invite", StringComparison.Ordinal) => new { expertId = Guid.NewGuid() },
        _ when pattern.EndsWith("/notes", StringComparison.Ordinal) => new { text = "矩阵备注" },
        _ when pattern.EndsWith("/rating", StringComparison.Ordinal) => new { rating = "满意" },
        _ => new { },
    };

    private async Task<Guid> CreateStationAtDistrictAsync()
    {
        var response = await _admin.PostJsonAsync("/api/sites", new { orgUnitId = _units[Position.Ancestor], code = "m-es-" + Guid.NewGuid().ToString("N")[..8], name = "矩阵工作站", kind = "ExpertStation", categories = new[] { "medical" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>A booking in its own hour (a fresh slot each time, so bookings at one site never conflict).</summary>
    private object BookingBody(Position p)
    {
        var start = DateTime.UtcNow.Date.AddDays(10).AddHours(Interlocked.Increment(ref _slot) * 2);
        return new
        {
            title = "矩阵会议",
            organizerOrgUnitId = _units[p],
            start = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            end = start.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            siteIds = new[] { _sites[p] },
            launchMode = "Reservation",
        };
    }

    private static object RoomControlBody(string url) => url[(url.LastIndexOf('/') + 1)..] switch
    {
        "legs" => new { sipUri = "sip:nobody-here@127.0.0.1" },
        "main-venue" or "roll-call" => new { legId = Guid.NewGuid() },
        "polling" => new { legIds = new[] { Guid.NewGuid() }, intervalSeconds = 5 },
        "video-mode" => new { mode = "MainVenue" },
        "lock" => new { locked = false },
        "pin" => new { pin = "" },
        _ => new { },
    };

    private static object UpdateBody(string kind) => kind switch
    {
        "bookings" => new { title = "已修改" },
        "users" or "endpoints" => new { displayName = "已修改" },
        _ => new { name = "已修改" },
    };

    private async Task<HttpClient> UserAsync(string role)
    {
        var username = "mx" + role.ToLowerInvariant() + Guid.NewGuid().ToString("N")[..6];
        var created = await _admin.PostJsonAsync("/api/users", new { username, password = "Matrix-pass1", displayName = role, role, orgUnitId = SampleDistrict.Township1 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await hub.LoginAsync(username, "Matrix-pass1");
    }

    /// <summary>Ids of every row that a township-1 user must never see (outside township 1's subtree).</summary>
    private Task<HashSet<Guid>> OutsideIdsAsync() => hub.WithDatabaseAsync(async db =>
    {
        var own = (await db.OrgUnits.SingleAsync(u => u.Id == SampleDistrict.Township1)).OrgPath;
        var ids = new HashSet<Guid>();
        ids.UnionWith(await db.OrgUnits.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.Sites.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.Endpoints.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.Devices.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.People.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.Experts.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.Users.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.Rooms.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.Consultations.Where(x => !x.OrgPath.StartsWith(own) && (x.StationOrgPath == null || !x.StationOrgPath.StartsWith(own))).Select(x => x.Id).ToListAsync());
        ids.UnionWith(await db.Bookings.Where(x => !x.OrgPath.StartsWith(own)).Select(x => x.Id).ToListAsync());
        return ids;
    });

    /// <summary>The "id" of every object in a response, nested lists (the tree) included.</summary>
    private static IEnumerable<Guid> Ids(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var id in Ids(item))
                {
                    yield return id;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "id" && property.Value.TryGetGuid(out var id))
                {
                    yield return id;
                }
                else if (property.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
                {
                    foreach (var nested in Ids(property.Value))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}

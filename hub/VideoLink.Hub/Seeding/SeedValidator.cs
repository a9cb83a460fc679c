using System.Text.RegularExpressions;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Seeding;

/// <summary>Checks a parsed seed for the mistakes JSON cannot catch; each problem names its JSON path.</summary>
public static partial class SeedValidator
{
    /// <summary>Drivers the station agent knows (issue 6); a seed naming another is refused.</summary>
    public static IReadOnlySet<string> KnownDrivers { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "visca-serial", "visca-ip", "visca-tcp", "pelco-d", "samsung-mdc-serial", "samsung-mdc-tcp", "pjlink",
        "nec-serial", "lg-serial", "idcard-serial", "em4100-serial", "evdev", "lcus-relay",
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    public static partial Regex CodePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    public static partial Regex SipUserPattern();

    public static List<string> Validate(SeedDocument doc)
    {
        var problems = new List<string>();
        void Problem(string path, string text) => problems.Add($"{path}: {text}");

        var categories = Unique(doc.Categories.Select(c => c.Code), "$.categories", "code", Problem);
        var units = Unique(doc.OrgUnits.Select(u => u.Code), "$.orgUnits", "code", Problem);
        var sites = Unique(doc.Sites.Select(s => s.Code), "$.sites", "code", Problem);
        var people = Unique(doc.People.Select(p => p.Code), "$.people", "code", Problem);
        Unique(doc.Experts.Select(e => e.Code), "$.experts", "code", Problem);

        var roots = doc.OrgUnits.Where(u => u.Parent is null).ToList();
        if (roots.Count != 1)
        {
            Problem("$.orgUnits", $"exactly one org unit must have no parent (the district); found {roots.Count}");
        }

        for (var i = 0; i < doc.OrgUnits.Count; i++)
        {
            var u = doc.OrgUnits[i];
            if (u.Parent is not null && !units.Contains(u.Parent))
            {
                Problem($"$.orgUnits[{i}].parent", $"unknown org unit '{u.Parent}'");
            }
        }

        if (problems.Count == 0 && ParentsFirst(doc.OrgUnits).Count != doc.OrgUnits.Count)
        {
            Problem("$.orgUnits", "the parent links form a cycle");
        }

        var siteKinds = doc.Sites.GroupBy(s => s.Code).ToDictionary(g => g.Key, g => g.First());
        for (var i = 0; i < doc.Sites.Count; i++)
        {
            var s = doc.Sites[i];
            if (!units.Contains(s.OrgUnit))
            {
                Problem($"$.sites[{i}].orgUnit", $"unknown org unit '{s.OrgUnit}'");
            }

            for (var c = 0; c < s.Categories.Count; c++)
            {
                if (!categories.Contains(s.Categories[c]))
                {
                    Problem($"$.sites[{i}].categories[{c}]", $"unknown category '{s.Categories[c]}'");
                }
            }

            if (s.Kind == SiteKind.ExpertStation && s.Categories.Count == 0)
            {
                Problem($"$.sites[{i}].categories", "an expert station must serve at least one category");
            }
        }

        for (var i = 0; i < doc.People.Count; i++)
        {
            var p = doc.People[i];
            if (!units.Contains(p.OrgUnit))
            {
                Problem($"$.people[{i}].orgUnit", $"unknown org unit '{p.OrgUnit}'");
            }

            if (p.IdNumber is not null && !Security.PersonalData.IsValidResidentId(p.IdNumber))
            {
                Problem($"$.people[{i}].idNumber", "not a valid 18-character resident ID number");
            }
        }

        for (var i = 0; i < doc.Experts.Count; i++)
        {
            var e = doc.Experts[i];
            if (!people.Contains(e.Person))
            {
                Problem($"$.experts[{i}].person", $"unknown person '{e.Person}'");
            }

            if (!siteKinds.TryGetValue(e.Station, out var station))
            {
                Problem($"$.experts[{i}].station", $"unknown site '{e.Station}'");
            }
            else if (station.Kind != SiteKind.ExpertStation)
            {
                Problem($"$.experts[{i}].station", $"site '{e.Station}' is a {station.Kind}, not an ExpertStation");
            }
            else if (!station.Categories.Contains(e.Category))
            {
                Problem($"$.experts[{i}].category", $"station '{e.Station}' does not serve '{e.Category}'");
            }

            for (var d = 0; d < e.Duty.Count; d++)
            {
                if (e.Duty[d].End <= e.Duty[d].Start)
                {
                    Problem($"$.experts[{i}].duty[{d}]", "end must be after start");
                }
            }
        }

        var sipUsers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < doc.Endpoints.Count; i++)
        {
            var ep = doc.Endpoints[i];
            if (!sites.Contains(ep.Site))
            {
                Problem($"$.endpoints[{i}].site", $"unknown site '{ep.Site}'");
            }

            if (ep.Kind == EndpointKind.Sip)
            {
                if (ep.SipUser is null || !SipUserPattern().IsMatch(ep.SipUser))
                {
                    Problem($"$.endpoints[{i}].sipUser", "a SIP endpoint needs a sipUser of letters, digits, '.', '_' or '-'");
                }
                else if (!sipUsers.Add(ep.SipUser))
                {
                    Problem($"$.endpoints[{i}].sipUser", $"duplicate sipUser '{ep.SipUser}'");
                }

                if (ep.Password is not null && ep.Password.Length < 8)
                {
                    Problem($"$.endpoints[{i}].password", "at least 8 characters");
                }
            }
            else if (ep.SipUser is not null || ep.Password is not null)
            {
                Problem($"$.endpoints[{i}]", "a Web endpoint has no sipUser or password");
            }
        }

        var deviceKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < doc.Devices.Count; i++)
        {
            var d = doc.Devices[i];
            if (!sites.Contains(d.Site))
            {
                Problem($"$.devices[{i}].site", $"unknown site '{d.Site}'");
            }

            if (!CodePattern().IsMatch(d.Code))
            {
                Problem($"$.devices[{i}].code", "letters, digits, '.', '_' or '-' (at most 64)");
            }
            else if (!deviceKeys.Add(d.Site + "/" + d.Code))
            {
                Problem($"$.devices[{i}].code", $"duplicate device '{d.Code}' at site '{d.Site}'");
            }

            if (!KnownDrivers.Contains(d.Driver))
            {
                Problem($"$.devices[{i}].driver", $"unknown driver '{d.Driver}' (known: {string.Join(", ", KnownDrivers.Order(StringComparer.Ordinal))})");
            }
        }

        return problems;
    }

    /// <summary>Org units ordered so every parent precedes its children; units in a cycle are left out.</summary>
    public static List<SeedOrgUnit> ParentsFirst(IReadOnlyList<SeedOrgUnit> units)
    {
        var byParent = units.Where(u => u.Parent is not null).ToLookup(u => u.Parent!, StringComparer.Ordinal);
        var ordered = new List<SeedOrgUnit>(units.Count);
        var queue = new Queue<SeedOrgUnit>(units.Where(u => u.Parent is null));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var u))
        {
            if (!seen.Add(u.Code))
            {
                continue;
            }

            ordered.Add(u);
            foreach (var child in byParent[u.Code])
            {
                queue.Enqueue(child);
            }
        }

        return ordered;
    }

    private static HashSet<string> Unique(IEnumerable<string> codes, string path, string field, Action<string, string> problem)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var code in codes)
        {
            if (string.IsNullOrWhiteSpace(code) || !CodePattern().IsMatch(code))
            {
                problem($"{path}[{i}].{field}", "letters, digits, '.', '_' or '-' (at most 64)");
            }
            else if (!set.Add(code))
            {
                problem($"{path}[{i}].{field}", $"duplicate code '{code}'");
            }

            i++;
        }

        return set;
    }
}

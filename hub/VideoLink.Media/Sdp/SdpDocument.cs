namespace VideoLink.Media.Sdp;

/// <summary>One <c>a=</c> line: name and optional value (RFC 8866 §5.13).</summary>
internal readonly record struct SdpAttribute(string Name, string? Value);

/// <summary>One <c>m=</c> section with its attributes (RFC 8866 §5.14).</summary>
internal sealed class SdpMediaSection
{
    public required string Kind { get; init; }

    public int Port { get; init; }

    public required string Protocol { get; init; }

    public required IReadOnlyList<string> Formats { get; init; }

    public List<SdpAttribute> Attributes { get; } = [];

    public string? Connection { get; set; }

    public string? Get(string name) => Attributes.FirstOrDefault(a => a.Name == name).Value;

    public bool Has(string name) => Attributes.Exists(a => a.Name == name);

    public IEnumerable<string> GetAll(string name) =>
        Attributes.Where(a => a.Name == name && a.Value is not null).Select(a => a.Value!);
}

/// <summary>
/// A parsed SDP (RFC 8866): session-level attributes and media sections. The parser is deliberately lenient
/// about lines it does not use and strict about the structure it relies on.
/// </summary>
internal sealed class SdpDocument
{
    public List<SdpAttribute> SessionAttributes { get; } = [];

    public List<SdpMediaSection> Media { get; } = [];

    public string? GetSession(string name) => SessionAttributes.FirstOrDefault(a => a.Name == name).Value;

    public bool HasSession(string name) => SessionAttributes.Exists(a => a.Name == name);

    public static bool TryParse(string text, out SdpDocument document, out string error)
    {
        document = new SdpDocument();
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty SDP";
            return false;
        }

        var sawVersion = false;
        SdpMediaSection? current = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=')
            {
                error = "malformed SDP line: " + Truncate(line);
                return false;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'v':
                    sawVersion = value == "0";
                    break;
                case 'm':
                    var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 3 || !int.TryParse(parts[1].Split('/')[0], out var port))
                    {
                        error = "malformed m= line: " + Truncate(line);
                        return false;
                    }

                    current = new SdpMediaSection { Kind = parts[0], Port = port, Protocol = parts[2], Formats = parts[3..] };
                    document.Media.Add(current);
                    break;
                case 'c' when current is not null:
                    current.Connection = value;
                    break;
                case 'a':
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    var attribute = colon < 0 ? new SdpAttribute(value, null) : new SdpAttribute(value[..colon], value[(colon + 1)..]);
                    if (current is null)
                    {
                        document.SessionAttributes.Add(attribute);
                    }
                    else
                    {
                        current.Attributes.Add(attribute);
                    }

                    break;
                default:
                    break;
            }
        }

        if (!sawVersion)
        {
            error = "SDP must start with v=0";
            return false;
        }

        return true;
    }

    private static string Truncate(string line) => line.Length <= 80 ? line : line[..80];
}

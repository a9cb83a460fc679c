using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace VideoLink.Hub.Attendance;

/// <summary>A named table of cells (string, number, bool, DateTime as UTC or null) for CSV and XLSX export.</summary>
public sealed record ReportTable(string Name, IReadOnlyList<string> Headers, IReadOnlyList<object?[]> Rows);

/// <summary>CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read the Chinese names): tables one after another, a blank line between.</summary>
public static class CsvExport
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static byte[] Write(IEnumerable<ReportTable> tables)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var table in tables)
        {
            if (!first)
            {
                sb.Append("\r\n");
            }

            first = false;
            sb.Append(Field(table.Name)).Append("\r\n");
            sb.AppendJoin(',', table.Headers.Select(Field)).Append("\r\n");
            foreach (var row in table.Rows)
            {
                sb.AppendJoin(',', row.Select(c => Field(Cell(c)))).Append("\r\n");
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    internal static string Cell(object? value) => value switch
    {
        null => "",
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Field(string value)
    {
        // A leading = + - @ would be run as a formula by spreadsheet programs (CSV injection): prefix a quote.
        if (value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

/// <summary>
/// A minimal Office Open XML workbook (ECMA-376 SpreadsheetML): one worksheet per table, strings inline
/// (<c>t="inlineStr"</c>, so no shared-string table), numbers as numbers, times as text in UTC. Written with
/// System.IO.Compression only.
/// </summary>
public static class XlsxExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(IReadOnlyList<ReportTable> tables)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"""
                + string.Concat(tables.Select((_, i) => $"""<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>""")) + "</Types>");
            Entry(zip, "_rels/.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Entry(zip, "xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"""
                + string.Concat(tables.Select((t, i) => $"""<sheet name="{SheetName(t.Name, i)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>""")) + "</sheets></workbook>");
            Entry(zip, "xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"""
                + string.Concat(tables.Select((_, i) => $"""<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>""")) + "</Relationships>");
            for (var i = 0; i < tables.Count; i++)
            {
                Entry(zip, $"xl/worksheets/sheet{i + 1}.xml", Sheet(tables[i]));
            }
        }

        return buffer.ToArray();
    }

    private static string Sheet(ReportTable table)
    {
        var sb = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        Row(sb, 1, table.Headers.Cast<object?>().ToArray());
        for (var r = 0; r < table.Rows.Count; r++)
        {
            Row(sb, r + 2, table.Rows[r]);
        }

        return sb.Append("</sheetData></worksheet>").ToString();
    }

    private static void Row(StringBuilder sb, int number, object?[] cells)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<row r=\"{number}\">");
        for (var c = 0; c < cells.Length; c++)
        {
            var reference = Column(c) + number.ToString(CultureInfo.InvariantCulture);
            switch (cells[c])
            {
                case null:
                    break;
                case int or long or double or decimal:
                    sb.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\"><v>{CsvExport.Cell(cells[c])}</v></c>");
                    break;
                default:
                    sb.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{SecurityElement.Escape(CsvExport.Cell(cells[c]))}</t></is></c>");
                    break;
            }
        }

        sb.Append("</row>");
    }

    /// <summary>0 → A, 25 → Z, 26 → AA.</summary>
    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>Sheet names: at most 31 characters, none of []:*?/\ .</summary>
    private static string SheetName(string name, int index)
    {
        var clean = new string(name.Where(ch => "[]:*?/\\".IndexOf(ch, StringComparison.Ordinal) < 0).ToArray());
        clean = clean.Length == 0 ? $"Sheet{index + 1}" : clean;
        return SecurityElement.Escape(clean.Length > 31 ? clean[..31] : clean)!;
    }

    private static void Entry(ZipArchive zip, string name, string content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        using var stream = entry.Open();
        var bytes = Encoding.UTF8.GetBytes(content);
        stream.Write(bytes);
    }
}

using System.Globalization;
using System.Text;

namespace VideoLink.Hardware.IdCard;

/// <summary>
/// The basic-information block of a 2nd-generation resident ID card: 256 bytes of UCS-2 (little-endian)
/// text in fixed fields — name 30, sex 2, ethnicity 4, birth 16, address 70, ID number 36,
/// authority 30, valid from 16, valid to 16 bytes (GA 467-2013 layout as reported by SAM readers).
/// The ID number never leaves this type except masked or hashed.
/// </summary>
public sealed class IdCardInfo
{
    /// <summary>Length of the text block.</summary>
    public const int TextLength = 256;

    private static readonly int[] FieldBytes = [30, 2, 4, 16, 70, 36, 30, 16, 16];

    private readonly string _idNumber;

    private IdCardInfo(string[] fields)
    {
        Name = fields[0];
        Sex = fields[1] switch { "1" => "男", "2" => "女", _ => fields[1] };
        Ethnicity = fields[2];
        BirthDate = DateOnly.TryParseExact(fields[3], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) ? birth : null;
        Address = fields[4];
        _idNumber = fields[5];
        Authority = fields[6];
        ValidFrom = fields[7];
        ValidTo = fields[8];
    }

    /// <summary>Name.</summary>
    public string Name { get; }

    /// <summary>男 / 女.</summary>
    public string Sex { get; }

    /// <summary>Ethnicity code (01 = 汉).</summary>
    public string Ethnicity { get; }

    /// <summary>Birth date.</summary>
    public DateOnly? BirthDate { get; }

    /// <summary>Address.</summary>
    public string Address { get; }

    /// <summary>Issuing authority.</summary>
    public string Authority { get; }

    /// <summary>Valid from (yyyyMMdd).</summary>
    public string ValidFrom { get; }

    /// <summary>Valid to (yyyyMMdd or 长期).</summary>
    public string ValidTo { get; }

    /// <summary>ID number masked: <c>4101**********1234</c>.</summary>
    public string MaskedIdNumber => Devices.CardIdentity.MaskIdNumber(_idNumber);

    /// <summary>Parses the 256-byte text block.</summary>
    public static IdCardInfo Parse(ReadOnlySpan<byte> text)
    {
        if (text.Length < TextLength)
        {
            throw new FormatException($"ID card text block is {text.Length} bytes, expected {TextLength}.");
        }

        var fields = new string[FieldBytes.Length];
        int offset = 0;
        for (int i = 0; i < FieldBytes.Length; i++)
        {
            fields[i] = Encoding.Unicode.GetString(text.Slice(offset, FieldBytes[i])).TrimEnd(' ', '\0');
            offset += FieldBytes[i];
        }

        return new IdCardInfo(fields);
    }

    /// <summary>Builds the 256-byte text block (simulators, tests).</summary>
    public static byte[] BuildText(string name, string sexCode, string ethnicity, string birth, string address, string idNumber, string authority, string validFrom, string validTo)
    {
        string[] fields = [name, sexCode, ethnicity, birth, address, idNumber, authority, validFrom, validTo];
        var text = new byte[TextLength];
        text.AsSpan().Fill(0);
        int offset = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            var field = text.AsSpan(offset, FieldBytes[i]);
            for (int c = 0; c + 1 < field.Length; c += 2)
            {
                field[c] = 0x20;
            }

            Encoding.Unicode.GetBytes(fields[i].AsSpan(0, Math.Min(fields[i].Length, FieldBytes[i] / 2)), field);
            offset += FieldBytes[i];
        }

        return text;
    }

    /// <summary>The identity to publish: masked number, salted hash as key, never the raw number.</summary>
    public Devices.CardIdentity ToIdentity(string salt) => new()
    {
        Kind = Devices.CardKind.ResidentIdCard,
        Key = Devices.CardIdentity.HashIdNumber(_idNumber, salt),
        Display = MaskedIdNumber,
        Name = Name,
        Sex = Sex,
        BirthDate = BirthDate,
        Address = Address,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name} {MaskedIdNumber}";
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VideoLink.Hub.SipAccounts;

/// <summary>
/// Turns a SIP account password into the digest HA1 values (RFC 2617 MD5, RFC 7616 SHA-256) that the registrar
/// needs; the password itself is never stored. HA1 is bound to the realm, so changing the realm needs new passwords.
/// </summary>
public sealed class SipCredentialFactory(IOptions<SipAccountOptions> options)
{
    public string Realm => options.Value.Realm;

    public void SetPassword(Storage.Entities.SiteEndpoint endpoint, string password)
    {
        var a1 = Encoding.UTF8.GetBytes($"{endpoint.SipUser}:{Realm}:{password}");
        endpoint.SipRealm = Realm;
#pragma warning disable CA5351 // MD5 is what RFC 2617 digest requires; SHA-256 is offered too.
        endpoint.SipHa1Md5 = Convert.ToHexStringLower(MD5.HashData(a1));
#pragma warning restore CA5351
        endpoint.SipHa1Sha256 = Convert.ToHexStringLower(SHA256.HashData(a1));
    }
}

/// <summary>SIP account settings ("Sip" section).</summary>
public sealed class SipAccountOptions
{
    public const string DefaultRealm = "videolink";

    [System.ComponentModel.DataAnnotations.Required]
    public string Realm { get; set; } = DefaultRealm;
}

using Microsoft.Extensions.Logging;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Transactions;

namespace VideoLink.Sip.Registrar;

/// <summary>
/// Challenges and checks requests: 401 + WWW-Authenticate for REGISTER (registrar), 407 + Proxy-Authenticate
/// for everything else (RFC 3261 §22.1, §22.3). When it returns null it has answered the request already.
/// </summary>
internal sealed class RequestAuthenticator(DigestAuthenticator digest, AuthThrottle throttle, ISipAccountDirectory directory, ILogger logger)
{
    public async ValueTask<SipAccount?> AuthenticateAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        var source = transaction.Source.EndPoint.Address;
        bool registrar = request.Method == SipMethods.Register;
        if (throttle.IsThrottled(source))
        {
            transaction.Respond(transaction.CreateResponse(403, "Too Many Failed Authentications", SipGrammar.NewToken()));
            return null;
        }
        DigestCredentials? credentials = null;
        foreach (string value in request.GetHeaderValues(registrar ? SipHeaderNames.Authorization : SipHeaderNames.ProxyAuthorization))
        {
            if (DigestCredentials.TryParse(value, out var c) && string.Equals(c.Realm, digest.Realm, StringComparison.Ordinal))
            {
                credentials = c;
                break;
            }
        }
        if (credentials is null)
        {
            Challenge(transaction, registrar, stale: false);
            return null;
        }
        var account = await directory.FindAsync(credentials.Username!, cancellationToken).ConfigureAwait(false);
        var outcome = account is null ? DigestOutcome.WrongResponse : digest.Verify(credentials, request.Method, account);
        switch (outcome)
        {
            case DigestOutcome.Ok:
                throttle.RecordSuccess(source);
                return account;
            case DigestOutcome.Stale or DigestOutcome.Replay:
                Challenge(transaction, registrar, stale: true);
                return null;
            case DigestOutcome.Invalid:
                Challenge(transaction, registrar, stale: false);
                return null;
            default:
                // Unknown user and wrong password look the same from outside: no account enumeration.
                SipLog.AuthFailed(logger, credentials.Username!, source);
                if (throttle.RecordFailure(source))
                {
                    SipLog.Throttled(logger, source);
                }
                transaction.Respond(transaction.CreateResponse(403, "Forbidden (Bad Credentials)", SipGrammar.NewToken()));
                return null;
        }
    }

    private void Challenge(ServerTransaction transaction, bool registrar, bool stale)
    {
        var response = transaction.CreateResponse(registrar ? 401 : 407, toTag: SipGrammar.NewToken());
        foreach (string challenge in digest.CreateChallenges(stale))
        {
            response.AddHeader(registrar ? SipHeaderNames.WwwAuthenticate : SipHeaderNames.ProxyAuthenticate, challenge);
        }
        transaction.Respond(response);
    }
}

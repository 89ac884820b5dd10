using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Microsoft.Identity.Client;

namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>Turns what Azure.Identity throws into a <see cref="JwtSsoException"/> that says what to check.</summary>
internal sealed partial class AzureErrorMapper
{
    private const int MaxVendorMessageLength = 700;
    private readonly AzureSourceDescription _description;
    private readonly TimeProvider _time;

    internal AzureErrorMapper(AzureSourceDescription description, TimeProvider time)
    {
        _description = description;
        _time = time;
    }

    internal JwtSsoException Map(Exception exception)
    {
        var mapped = MapCore(exception);
        var safeInner = SafeInner(exception);
        return ReferenceEquals(safeInner, exception)
            ? mapped
            : new JwtSsoException(mapped.Kind, mapped.SourceName, mapped.Message, safeInner) { IsTransient = mapped.IsTransient, RetryAfter = mapped.RetryAfter };
    }

    /// <summary>
    /// The vendor exception to attach as <see cref="Exception.InnerException"/>: itself, unless some message in its chain
    /// carries token-like text or a configured secret; then a sanitized stand-in of the same Azure type without the chain.
    /// </summary>
    private Exception SafeInner(Exception exception)
    {
        if (!Chain(exception).Any(e => Sanitize(e.Message) != Truncated(e.Message)))
        {
            return exception;
        }

        var text = Sanitize(VendorText(exception));
        return exception switch
        {
            CredentialUnavailableException => new CredentialUnavailableException(text),
            _ => new AuthenticationFailedException(text),
        };
    }

    private static string Truncated(string text) => text.Length > MaxVendorMessageLength ? text[..MaxVendorMessageLength] + "…" : text;

    private JwtSsoException MapCore(Exception exception)
    {
        var vendor = Sanitize(VendorText(exception));
        var prefix = $"Token source '{AzureTokenSource.SourceName}' could not get a token for scope '{_description.Scope}' with {_description.CredentialName}{_description.Identity}: ";

        if (exception is CredentialUnavailableException)
        {
            return new JwtSsoException(JwtSsoErrorKind.Configuration, AzureTokenSource.SourceName, prefix + vendor + " " + UnavailableHint(), exception);
        }

        var code = 0;
        if (AllMessages(exception).Any(m => EntraErrorHints.TryFindCode(m, out code)) && EntraErrorHints.HintFor(code) is { } hint)
        {
            return new JwtSsoException(JwtSsoErrorKind.Configuration, AzureTokenSource.SourceName, prefix + vendor + " " + hint, exception);
        }

        if (AllMessages(exception).Any(m => m.Contains("Identity not found", StringComparison.OrdinalIgnoreCase)))
        {
            return new JwtSsoException(JwtSsoErrorKind.Configuration, AzureTokenSource.SourceName, prefix + vendor + " " + IdentityNotFoundHint, exception);
        }

        if (IsTransient(exception, out var retryAfter))
        {
            return new JwtSsoException(JwtSsoErrorKind.SourceFailed, AzureTokenSource.SourceName, prefix + vendor + " Entra or the managed-identity endpoint is unavailable or throttling; the request is retried with backoff.", exception)
            {
                IsTransient = true,
                RetryAfter = retryAfter,
            };
        }

        var fallback = code != 0
            ? $" Look up AADSTS{code} in Microsoft's Entra error-code reference for the fix."
            : " Check the credential's configuration and that the identity may get tokens for the cluster's app registration.";
        return new JwtSsoException(JwtSsoErrorKind.SourceFailed, AzureTokenSource.SourceName, prefix + vendor + fallback, exception);
    }

    /// <summary>Removes anything token-like and the configured secrets from vendor text before it goes into a message.</summary>
    internal string Sanitize(string text)
    {
        var clean = JwtLike().Replace(text, "<redacted token>");
        foreach (var secret in _description.Secrets)
        {
            clean = clean.Replace(secret, "<redacted>", StringComparison.Ordinal);
        }

        return Truncated(clean);
    }

    private const string IdentityNotFoundHint = "The managed-identity endpoint does not know the requested identity: ClientId (or ManagedIdentityResourceId) must name a user-assigned identity that is assigned to this VM, App Service, Function or Container App; leave both unset to use the system-assigned identity, and make sure that one is enabled.";

    private string UnavailableHint() => _description.Kind switch
    {
        AzureCredentialKind.ManagedIdentity => "No managed identity endpoint answered on this machine. On Azure, enable a system- or user-assigned identity on the resource (and set ClientId for a user-assigned one); off Azure, choose another CredentialKind (AzureCli for development, ClientSecret/ClientCertificate/WorkloadIdentity for services).",
        AzureCredentialKind.WorkloadIdentity => "Workload identity is not configured: check TenantId, ClientId and TokenFilePath (or AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE injected by the AKS webhook) and that the token file is mounted.",
        AzureCredentialKind.AzureCli => "The Azure CLI is not installed or not signed in: install it and run 'az login' (with --tenant when TenantId is set).",
        AzureCredentialKind.Default => "None of the credentials in DefaultAzureCredential's chain is available here: on Azure enable a managed identity; for development run 'az login'; in production prefer an explicit CredentialKind.",
        _ => "The credential cannot be used on this machine: check its configuration.",
    };

    private bool IsTransient(Exception exception, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        foreach (var e in Chain(exception))
        {
            switch (e)
            {
                case MsalServiceException msal when IsTransientStatus(msal.StatusCode) || msal.IsRetryable:
                    retryAfter = JwtSsoRetryAfter.TryParse(msal.Headers, _time, out var msalDelay) ? msalDelay : null;
                    return true;
                case RequestFailedException rfe when IsTransientStatus(rfe.Status):
                    retryAfter = RetryAfterOf(rfe.GetRawResponse());
                    return true;
                case MsalException { ErrorCode: MsalError.RequestTimeout or MsalError.ServiceNotAvailable }:
                case HttpRequestException:
                case TimeoutException:
                case TaskCanceledException:
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    private static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500 and <= 599;

    private TimeSpan? RetryAfterOf(Response? response)
    {
        if (response is null)
        {
            return null;
        }

        response.Headers.TryGetValue("Retry-After", out var retryAfter);
        response.Headers.TryGetValue("Date", out var date);
        return JwtSsoRetryAfter.TryParse(retryAfter, date, null, _time.GetUtcNow(), out var delay) ? delay : null;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    private static IEnumerable<string> AllMessages(Exception exception) => Chain(exception).Select(e => e.Message);

    // Azure.Identity's message often ends at "authentication failed:"; the service's own words are in the inner exception.
    private static string VendorText(Exception exception)
    {
        var outer = Condense(exception.Message).TrimEnd('.', ':', ' ');
        var inner = Chain(exception).Skip(1).FirstOrDefault(e => e is MsalException or RequestFailedException or HttpRequestException or TimeoutException)?.Message;
        var text = inner is not null && !outer.Contains(Condense(inner).TrimEnd('.'), StringComparison.Ordinal)
            ? outer + ": " + Condense(inner)
            : outer;
        return text.EndsWith('.') ? text : text + ".";
    }

    private static string Condense(string text)
    {
        var builder = new StringBuilder();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("See the troubleshooting guide", StringComparison.Ordinal))
            {
                break;
            }

            builder.Append(builder.Length == 0 ? string.Empty : " ").Append(line);
            if (builder.Length > MaxVendorMessageLength)
            {
                break;
            }
        }

        var result = builder.ToString().TrimEnd();
        return result.Length == 0 || result.EndsWith('.') ? result : result + ".";
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JwtLike();
}

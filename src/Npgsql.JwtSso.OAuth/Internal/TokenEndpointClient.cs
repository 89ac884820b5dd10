using System.Net;
using Duende.IdentityModel.Client;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>
/// Runs the client-credentials grant with Duende.IdentityModel's token client: discovers the token endpoint once,
/// authenticates the client, and maps the outcome to a <see cref="JwtToken"/> or a <see cref="JwtSsoException"/>.
/// </summary>
internal sealed class TokenEndpointClient
{
    private static readonly string[] DiscoveryPaths = ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"];

    private readonly ClientCredentialsGrant _grant;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ClientAssertionFactory? _assertions;
    private Uri? _tokenEndpoint;

    internal TokenEndpointClient(ClientCredentialsGrant grant, HttpClient http, TimeProvider time)
    {
        _grant = grant;
        _http = http;
        _time = time;
        _tokenEndpoint = grant.Options.TokenEndpoint;
        _assertions = grant.SigningCredentials is { } credentials ? new ClientAssertionFactory(credentials, time) : null;
    }

    internal Uri? TokenEndpoint => _tokenEndpoint;

    internal async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var endpoint = _tokenEndpoint ??= await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        using var request = BuildRequest(endpoint);
        using var response = await _http.RequestClientCredentialsTokenAsync(request, cancellationToken).ConfigureAwait(false);
        ThrowIfCancelled(response.Exception, cancellationToken);
        if (response.IsError)
        {
            throw TokenErrorMapper.Map(response, _grant, endpoint, _time);
        }

        return AccessTokenReader.Read(response, _grant, endpoint);
    }

    private ClientCredentialsTokenRequest BuildRequest(Uri endpoint)
    {
        var options = _grant.Options;
        var request = new ClientCredentialsTokenRequest
        {
            Address = endpoint.AbsoluteUri,
            ClientId = _grant.ClientId,
            Scope = options.Scopes.Count == 0 ? null : string.Join(' ', options.Scopes),
        };
        switch (options.AuthenticationMethod)
        {
            case ClientAuthenticationMethod.ClientSecretBasic:
                request.ClientSecret = options.ClientSecret;
                request.ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader;
                request.AuthorizationHeaderStyle = BasicAuthenticationHeaderStyle.Rfc6749;
                break;
            case ClientAuthenticationMethod.ClientSecretPost:
                request.ClientSecret = options.ClientSecret;
                request.ClientCredentialStyle = ClientCredentialStyle.PostBody;
                break;
            default:
                request.ClientCredentialStyle = ClientCredentialStyle.PostBody;
                request.ClientAssertion = new ClientAssertion
                {
                    Type = ClientAssertionFactory.AssertionType,
                    Value = _assertions!.Create(_grant.ClientId, options.AssertionAudience ?? endpoint.AbsoluteUri, options.AssertionLifetime),
                };
                break;
        }

        foreach (var resource in options.Resources)
        {
            request.Resource.Add(resource);
        }

        request.Parameters.AddOptional("audience", string.IsNullOrWhiteSpace(options.Audience) ? null : options.Audience);
        foreach (var (key, value) in options.AdditionalParameters)
        {
            request.Parameters.AddOptional(key, value);
        }

        return request;
    }

    private async Task<Uri> DiscoverAsync(CancellationToken cancellationToken)
    {
        var issuer = _grant.Options.Issuer!.AbsoluteUri.TrimEnd('/');
        var tried = new List<string>(DiscoveryPaths.Length);
        foreach (var path in DiscoveryPaths)
        {
            var request = new DiscoveryDocumentRequest
            {
                Address = issuer,
                Policy =
                {
                    DiscoveryDocumentPath = path,
                    RequireKeySet = false,
                    ValidateEndpoints = false, // Entra's token endpoint is not under its issuer path; the URL is checked below.
                    RequireHttps = true,
                    AllowHttpOnLoopback = true,
                },
            };
            using var document = await _http.GetDiscoveryDocumentAsync(request, cancellationToken).ConfigureAwait(false);
            ThrowIfCancelled(document.Exception, cancellationToken);
            tried.Add(issuer + path);
            if (!document.IsError)
            {
                return ReadTokenEndpoint(document.TokenEndpoint, issuer + path);
            }

            if (document.ErrorType == ResponseErrorType.Http && document.HttpStatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }

            throw DiscoveryFailure(document, issuer + path);
        }

        throw new JwtSsoException(
            JwtSsoErrorKind.Configuration,
            _grant.SourceName,
            $"{_grant.SourceName}: No discovery document was found at {string.Join(" or ", tried)}: check Issuer '{issuer}' (it must be the server's exact issuer URL), or set TokenEndpoint to skip discovery.");
    }

    private Uri ReadTokenEndpoint(string? text, string url)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                _grant.SourceName,
                $"{_grant.SourceName}: The discovery document at {url} has no usable token_endpoint: set TokenEndpoint explicitly.");
        }

        OptionsValidator.CheckUrl("The discovered token_endpoint", endpoint, errors);
        return errors.Count == 0
            ? endpoint
            : throw new JwtSsoException(JwtSsoErrorKind.Configuration, _grant.SourceName, $"{_grant.SourceName}: {errors[0]} (from {url})");
    }

    private JwtSsoException DiscoveryFailure(DiscoveryDocumentResponse document, string url)
    {
        if (document.ErrorType == ResponseErrorType.PolicyViolation)
        {
            return new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                _grant.SourceName,
                $"{_grant.SourceName}: The discovery document at {url} does not match the configured Issuer: {TokenErrorMapper.Clip(document.Error)}. Set Issuer to the exact 'issuer' value the server publishes.");
        }

        var status = (int)document.HttpStatusCode;
        var transient = document.ErrorType == ResponseErrorType.Exception || status >= 500 || status == 429;
        return new JwtSsoException(
            JwtSsoErrorKind.SourceFailed,
            _grant.SourceName,
            $"{_grant.SourceName}: Discovery of the token endpoint at {url} failed ({(document.ErrorType == ResponseErrorType.Exception ? document.Exception?.GetType().Name : $"HTTP {status}")}: {TokenErrorMapper.Clip(document.Error)}). Check Issuer, or set TokenEndpoint to skip discovery.",
            document.Exception)
        {
            IsTransient = transient,
            RetryAfter = _grant.Preset.RetryAfter(document.HttpResponse, _time),
        };
    }

    private static void ThrowIfCancelled(Exception? exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}

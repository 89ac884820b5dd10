using Npgsql.JwtSso.OAuth;
using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.Okta;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>
/// The token-source options shared by <c>token</c>, <c>url</c> and <c>doctor</c>: the same sources and settings as the
/// library's configuration, one option per setting.
/// </summary>
internal sealed class SourceOptions
{
    public static readonly string[] SourceNames = ["gcp", "azure", "okta", "file", "command", "env", "github-actions", "static"];

    public Option<string?> Source { get; } = new("--source")
    {
        Description = "Where the token comes from: " + string.Join(", ", SourceNames) + ". Defaults to static with --token, file with --token-file.",
        HelpName = "name",
    };

    public Option<string?> Config { get; } = new("--config") { Description = "An application configuration file (appsettings.json): use its JWT SSO section, read exactly as the library reads it.", HelpName = "path" };

    public Option<string?> Environment { get; } = new("--environment") { Description = "With --config: the host environment whose appsettings.{Environment}.json is layered on top (default DOTNET_ENVIRONMENT, then ASPNETCORE_ENVIRONMENT; user secrets in Development).", HelpName = "name" };

    public Option<string?> CaFile { get; } = new("--ca-file") { Description = "A PEM file of CA certificates to trust for the identity provider's HTTPS (okta, azure, github-actions, discovery); gcp: set SSL_CERT_FILE.", HelpName = "path" };

    public Option<string?> ConfigSection { get; } = new("--config-section") { Description = "The section of --config holding the instance's settings (default JwtSso), e.g. JwtSso:Reporting.", HelpName = "path" };

    public Option<string?> Token { get; } = new("--token") { Description = "static: the JWT itself (visible in the process list; prefer --token-file or env).", HelpName = "jwt" };

    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "file: a file holding the JWT, re-read on every call (Kubernetes projected tokens, sidecars).", HelpName = "path" };

    public Option<string?> EnvVar { get; } = new("--env-var") { Description = "env: the environment variable holding the JWT.", HelpName = "name" };

    public Option<string?> CommandName { get; } = new("--command") { Description = "command: a program that prints the JWT on stdout (for example gcloud).", HelpName = "program" };

    public Option<string[]> CommandArgs { get; } = new("--arg") { Description = "command: one argument for the program (repeat for more).", HelpName = "value", AllowMultipleArgumentsPerToken = false };

    public Option<string?> Audience { get; } = new("--audience") { Description = "gcp, github-actions: the audience to request (the cluster's server.jwt_authentication.audience).", HelpName = "aud" };

    public Option<string?> CredentialFile { get; } = new("--credential-file") { Description = "gcp: a service-account key or ADC file (default: Application Default Credentials).", HelpName = "path" };

    public Option<string?> Impersonate { get; } = new("--impersonate") { Description = "gcp: the service account to impersonate (needs roles/iam.serviceAccountTokenCreator).", HelpName = "email" };

    public Option<bool> IncludeEmail { get; } = new("--include-email") { Description = "gcp: include the email claim (for server.jwt_authentication.claim = email)." };

    public Option<string?> IamEndpoint { get; } = new("--iam-endpoint") { Description = "gcp: the IAM Credentials API base address (private endpoints).", HelpName = "url" };

    public Option<string?> Credential { get; } = new("--credential") { Description = "azure: managed-identity, workload-identity, client-secret, client-certificate, default, azure-cli.", HelpName = "kind" };

    public Option<string?> TenantId { get; } = new("--tenant-id") { Description = "azure: the Entra tenant id.", HelpName = "id" };

    public Option<string?> ClientId { get; } = new("--client-id") { Description = "azure, okta: the application (client) id.", HelpName = "id" };

    public Option<string?> ClientSecret { get; } = new("--client-secret") { Description = "azure, okta: the client secret (prefer the CRDB_JWT_CLIENT_SECRET environment variable).", HelpName = "secret" };

    public Option<string?> CertificateFile { get; } = new("--certificate-file") { Description = "azure: a PEM or PFX client certificate with its private key.", HelpName = "path" };

    public Option<string?> FederatedTokenFile { get; } = new("--federated-token-file") { Description = "azure: the workload-identity token file (default AZURE_FEDERATED_TOKEN_FILE).", HelpName = "path" };

    public Option<string[]> Scope { get; } = new("--scope") { Description = "azure: the scope (api://<app>/.default); okta: a custom scope (repeat for more).", HelpName = "scope" };

    public Option<string?> AuthorityHost { get; } = new("--authority-host") { Description = "azure: the Entra authority (sovereign clouds).", HelpName = "url" };

    public Option<bool> DisableInstanceDiscovery { get; } = new("--disable-instance-discovery") { Description = "azure: skip Entra instance discovery (Azure Stack, private or disconnected clouds)." };

    public Option<string?> Domain { get; } = new("--domain") { Description = "okta: the Okta domain, e.g. dev-123456.okta.com.", HelpName = "host" };

    public Option<string?> AuthorizationServer { get; } = new("--authorization-server") { Description = "okta: the custom authorization server id (default 'default').", HelpName = "id" };

    public Option<string?> Issuer { get; } = new("--issuer") { Description = "okta: the authorization server's issuer URL (instead of --domain/--authorization-server).", HelpName = "url" };

    public Option<string?> AuthMethod { get; } = new("--auth-method") { Description = "okta: client-secret-basic (default), client-secret-post, private-key-jwt.", HelpName = "method" };

    public Option<string?> PrivateKeyFile { get; } = new("--private-key-file") { Description = "okta: the app's private key, PEM or JWK, for private-key-jwt.", HelpName = "path" };

    public Option<string?> KeyId { get; } = new("--key-id") { Description = "okta: the kid of the app's registered public key.", HelpName = "kid" };

    public IEnumerable<Option> All =>
    [
        Source, Config, ConfigSection, Environment, CaFile, Token, TokenFile, EnvVar, CommandName, CommandArgs, Audience, CredentialFile, Impersonate, IncludeEmail, IamEndpoint,
        Credential, TenantId, ClientId, ClientSecret, CertificateFile, FederatedTokenFile, Scope, AuthorityHost, DisableInstanceDiscovery,
        Domain, AuthorizationServer, Issuer, AuthMethod, PrivateKeyFile, KeyId,
    ];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Returns whether any way to get a token was given.</summary>
    public bool HasSource(ParseResult result)
        => result.GetValue(Source) is not null || result.GetValue(Config) is not null || result.GetValue(Token) is not null || result.GetValue(TokenFile) is not null;

    /// <summary>Builds the token source the options describe; configuration errors become usage errors.</summary>
    public JwtTokenSource Create(ParseResult result, ToolContext context)
    {
        context.UseCaFile(result.GetValue(CaFile));
        if (result.GetValue(Config) is { } config)
        {
            return result.GetValue(Source) is null
                ? ConfiguredTokenSource.Create(config, result.GetValue(ConfigSection) ?? "JwtSso", result.GetValue(Environment), context)
                : throw new ToolException("give either --config or --source, not both.");
        }

        var name = result.GetValue(Source)?.ToLowerInvariant()
            ?? (result.GetValue(Token) is not null ? "static" : result.GetValue(TokenFile) is not null ? "file" : null)
            ?? throw new ToolException("name where the token comes from: --source " + string.Join('|', SourceNames) + " (or --token / --token-file / --config appsettings.json).");
        if (!Sources.TryGetValue(name, out var source))
        {
            throw new ToolException($"--source '{name}' is unknown: use one of {string.Join(", ", SourceNames)}.");
        }

        // The flags become the keys an application would write ("JwtSso": { "Source": …, "<Source>": { … } }) and go
        // through the library's one configuration path.
        var settings = new Dictionary<string, string?> { ["JwtSso:Source"] = source.Name };
        foreach (var flag in source.Flags)
        {
            var values = flag.Values(result, context);
            if (flag.Required && values.Count == 0)
            {
                throw new ToolException($"--source {name} needs {flag.Option.Name}.");
            }

            for (var i = 0; i < values.Count; i++)
            {
                settings[$"JwtSso:{source.Name}:{flag.Key}" + (flag.IsList ? $":{i}" : string.Empty)] = values[i];
            }
        }

        var section = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("JwtSso");
        return ConfiguredTokenSource.Create(section, $"--source {name}", context, fromApplication: false, source.Name == "Azure" ? b => OneAttempt(b, context) : null);
    }

    // One attempt: a one-shot command reports the failure at once instead of after the SDK's retries (~5.6 s).
    private static void OneAttempt(IJwtSsoBuilder builder, ToolContext context)
        => builder.AddAzure(o => o.ConfigureCredentialOptions = c =>
        {
            c.Transport = new global::Azure.Core.Pipeline.HttpClientTransport(context.CreateHttpHandler());
            c.Retry.MaxRetries = 0;
        });

    /// <summary>Each <c>--source</c> name: the source it selects and which flag sets which of its keys.</summary>
    private Dictionary<string, (string Name, Flag[] Flags)> Sources => new(StringComparer.Ordinal)
    {
        ["static"] = ("Static", [new(Token, "Token", Required: true)]),
        ["file"] = ("File", [new(TokenFile, "Path", Required: true)]),
        ["env"] = ("Environment", [new(EnvVar, "VariableName", Required: true)]),
        ["command"] = ("Command", [new(CommandName, "FileName", Required: true), new(CommandArgs, "Arguments", IsList: true)]),
        ["github-actions"] = ("GitHubActions", [new(Audience, "Audience", Required: true)]),
        ["gcp"] = ("Gcp",
        [
            new(Audience, "Audience", Required: true), new(CredentialFile, "CredentialFile"), new(Impersonate, "ImpersonateServiceAccount"),
            new(IncludeEmail, "IncludeEmail", Read: (r, _) => [r.GetValue(IncludeEmail) ? "true" : "false"]), new(IamEndpoint, "IamCredentialsEndpoint", Read: Url(IamEndpoint)),
        ]),
        ["azure"] = ("Azure",
        [
            new(Credential, "CredentialKind", Read: (r, c) => [(r.GetValue(Credential) is { } kind ? ParseCredentialKind(kind) : InferCredentialKind(r, c)).ToString()]),
            new(TenantId, "TenantId"), new(ClientId, "ClientId"), new(ClientSecret, "ClientSecret", Read: SecretValue),
            new(CertificateFile, "ClientCertificatePath"), new(FederatedTokenFile, "TokenFilePath"),
            new(Scope, "Scope", Read: (r, _) => r.GetValue(Scope) is { Length: > 0 } scopes ? [scopes[0]] : []),
            new(AuthorityHost, "AuthorityHost", Read: Url(AuthorityHost)),
            new(DisableInstanceDiscovery, "DisableInstanceDiscovery", Read: (r, _) => r.GetValue(DisableInstanceDiscovery) ? ["true"] : []),
        ]),
        ["okta"] = ("Okta",
        [
            new(Domain, "Domain"),

            // The tool's documented default: Okta's built-in custom authorization server, named 'default'.
            new(AuthorizationServer, "AuthorizationServerId", Read: (r, _) => r.GetValue(AuthorizationServer) is { } id ? [id] : r.GetValue(Issuer) is null ? ["default"] : []),
            new(Issuer, "Issuer", Read: Url(Issuer)), new(ClientId, "ClientId"), new(ClientSecret, "ClientSecret", Read: SecretValue),
            new(AuthMethod, "AuthenticationMethod", Read: (r, _) => [ParseAuthMethod(r.GetValue(AuthMethod)).ToString()]),
            new(KeyId, "PrivateKeyId"),
            new(PrivateKeyFile, "PrivateKeyJwk", Read: (r, _) => PrivateKey(r) is { } key && key.TrimStart().StartsWith('{') ? [key] : []),
            new(PrivateKeyFile, "PrivateKeyPem", Read: (r, _) => PrivateKey(r) is { } key && !key.TrimStart().StartsWith('{') ? [key] : []),
            new(Scope, "Scopes", IsList: true),
        ]),
    };

    private string? PrivateKey(ParseResult result) => result.GetValue(PrivateKeyFile) is { } file ? File.ReadAllText(file) : null;

    private string[] SecretValue(ParseResult result, ToolContext context) => Secret(result, context) is { } secret ? [secret] : [];

    private static Func<ParseResult, ToolContext, string[]> Url(Option<string?> option)
        => (result, _) => UriValue(result, option) is { } uri ? [uri.AbsoluteUri] : [];

    /// <summary>A flag that sets one key (or, for a list, one key per value) of a source's section.</summary>
    private sealed record Flag(Option Option, string Key, bool Required = false, bool IsList = false, Func<ParseResult, ToolContext, string[]>? Read = null)
    {
        public IReadOnlyList<string> Values(ParseResult result, ToolContext context)
            => Read is not null ? Read(result, context)
            : Option switch
            {
                Option<string?> single => result.GetValue(single) is { Length: > 0 } value ? [value] : [],
                Option<string[]> many => result.GetValue(many) ?? [],
                _ => throw new InvalidOperationException($"{Option.Name} needs a reader."),
            };
    }

    private string? Secret(ParseResult result, ToolContext context)
        => result.GetValue(ClientSecret) ?? context.GetEnvironmentVariable(ConfiguredTokenSource.ClientSecretVariable);

    private static Uri? UriValue(ParseResult result, Option<string?> option)
        => result.GetValue(option) is not { Length: > 0 } text ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri
        : throw new ToolException($"{option.Name} '{text}' is not an absolute URL.");

    private AzureCredentialKind InferCredentialKind(ParseResult result, ToolContext context)
        => Secret(result, context) is not null ? AzureCredentialKind.ClientSecret
        : result.GetValue(CertificateFile) is not null ? AzureCredentialKind.ClientCertificate
        : result.GetValue(FederatedTokenFile) is not null ? AzureCredentialKind.WorkloadIdentity
        : AzureCredentialKind.ManagedIdentity;

    private static AzureCredentialKind ParseCredentialKind(string value) => value.ToLowerInvariant() switch
    {
        "managed-identity" => AzureCredentialKind.ManagedIdentity,
        "workload-identity" => AzureCredentialKind.WorkloadIdentity,
        "client-secret" => AzureCredentialKind.ClientSecret,
        "client-certificate" => AzureCredentialKind.ClientCertificate,
        "default" => AzureCredentialKind.Default,
        "azure-cli" => AzureCredentialKind.AzureCli,
        _ => throw new ToolException($"--credential '{value}' is unknown: use managed-identity, workload-identity, client-secret, client-certificate, default or azure-cli."),
    };

    private static ClientAuthenticationMethod ParseAuthMethod(string? value) => value?.ToLowerInvariant() switch
    {
        null or "client-secret-basic" => ClientAuthenticationMethod.ClientSecretBasic,
        "client-secret-post" => ClientAuthenticationMethod.ClientSecretPost,
        "private-key-jwt" => ClientAuthenticationMethod.PrivateKeyJwt,
        _ => throw new ToolException($"--auth-method '{value}' is unknown: use client-secret-basic, client-secret-post or private-key-jwt."),
    };
}

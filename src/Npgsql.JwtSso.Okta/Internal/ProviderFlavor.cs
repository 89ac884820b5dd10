namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>Which authorization server's wording the error messages use.</summary>
internal enum ProviderFlavor
{
    Generic,
    Okta,
}

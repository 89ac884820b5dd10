using Microsoft.AspNetCore.Routing;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <summary>
/// The vendor-shaped endpoints of the local issuer. Each vendor lives in its own file (Gcp.cs, Azure.cs, Okta.cs,
/// GitHub.cs) implementing one of the partial methods below, so vendors can be added independently.
/// </summary>
internal static partial class VendorEndpoints
{
    internal static void MapAll(IEndpointRouteBuilder app, LocalJwtIssuer issuer)
    {
        MapGcp(app, issuer);
        MapAzure(app, issuer);
        MapOkta(app, issuer);
        MapGitHub(app, issuer);
    }

    static partial void MapGcp(IEndpointRouteBuilder app, LocalJwtIssuer issuer);

    static partial void MapAzure(IEndpointRouteBuilder app, LocalJwtIssuer issuer);

    static partial void MapOkta(IEndpointRouteBuilder app, LocalJwtIssuer issuer);

    static partial void MapGitHub(IEndpointRouteBuilder app, LocalJwtIssuer issuer);
}

namespace Npgsql.JwtSso.Azure.Tests.Support;

/// <summary>Entra-shaped claims for <see cref="TestJwt"/> tokens (the cluster, not the source, verifies signatures).</summary>
internal static class EntraJwt
{
    internal const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    internal const string ObjectId = "9a3c5e1f-0b2d-4c6e-8f10-3a5b7c9d1e2f";
    internal const string ClusterAppId = "11111111-2222-3333-4444-555555555555";
    internal const string ClusterAppUri = "api://" + ClusterAppId;

    internal static string V1(string? audience = ClusterAppUri, long? exp = null)
        => TestJwt.Create(new Dictionary<string, object?>
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{Tenant}/",
            ["sub"] = ObjectId,
            ["oid"] = ObjectId,
            ["tid"] = Tenant,
            ["appid"] = "0e1c2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6",
            ["ver"] = "1.0",
            ["exp"] = exp ?? 4_102_444_800,
        });

    internal static string V2(string? audience = ClusterAppId)
        => TestJwt.Create(new Dictionary<string, object?>
        {
            ["aud"] = audience,
            ["iss"] = $"https://login.microsoftonline.com/{Tenant}/v2.0",
            ["sub"] = ObjectId,
            ["oid"] = ObjectId,
            ["tid"] = Tenant,
            ["azp"] = "0e1c2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6",
            ["ver"] = "2.0",
            ["exp"] = 4_102_444_800,
        });
}

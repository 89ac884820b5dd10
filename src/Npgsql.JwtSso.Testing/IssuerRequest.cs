namespace Npgsql.JwtSso.Testing;

/// <summary>
/// One request an endpoint of the <see cref="LocalJwtIssuer"/> received. Holds names only — never header, query or
/// form values, which can be secrets.
/// </summary>
public sealed class IssuerRequest
{
    internal IssuerRequest(string endpoint, string method, string path, IReadOnlyList<string> queryKeys, IReadOnlyList<string> formKeys, DateTimeOffset receivedAt, IssuerFault? fault)
    {
        Endpoint = endpoint;
        Method = method;
        Path = path;
        QueryKeys = queryKeys;
        FormKeys = formKeys;
        ReceivedAt = receivedAt;
        Fault = fault;
    }

    /// <summary>Gets the endpoint name (see <see cref="IssuerEndpointNames"/>).</summary>
    public string Endpoint { get; }

    /// <summary>Gets the HTTP method.</summary>
    public string Method { get; }

    /// <summary>Gets the request path, without the query string.</summary>
    public string Path { get; }

    /// <summary>Gets the names of the query parameters.</summary>
    public IReadOnlyList<string> QueryKeys { get; }

    /// <summary>Gets the names of the form fields of a form-encoded body (empty otherwise).</summary>
    public IReadOnlyList<string> FormKeys { get; }

    /// <summary>Gets when the request arrived, on the issuer's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets the fault applied to the request, if any.</summary>
    public IssuerFault? Fault { get; }

    /// <summary>Describes the request, e.g. <c>token POST /token [grant_type]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"{Endpoint} {Method} {Path}" + (FormKeys.Count > 0 ? $" [{string.Join(", ", FormKeys)}]" : "") + (Fault is null ? "" : $" fault {Fault}");
}

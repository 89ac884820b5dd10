using System.Globalization;
using Microsoft.AspNetCore.Http;
using Npgsql.JwtSso.Testing.Internal;

namespace Npgsql.JwtSso.Testing;

public sealed partial class LocalJwtIssuer
{
    private readonly Lock _requestsLock = new();
    private readonly List<IssuerRequest> _requests = [];
    private readonly Dictionary<string, int> _requestCounts = new(StringComparer.Ordinal);

    /// <summary>Raised after a request is recorded, before its fault or handler runs (lets tests await arrival instead of polling).</summary>
    internal event Action<IssuerRequest>? RequestRecorded;

    /// <summary>Gets how many requests an endpoint received, faulted ones included.</summary>
    /// <param name="endpoint">The endpoint name (see <see cref="IssuerEndpointNames"/>).</param>
    /// <returns>The count since start or the last <see cref="ResetRequests"/>.</returns>
    public int RequestCount(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_requestsLock)
        {
            return _requestCounts.GetValueOrDefault(endpoint);
        }
    }

    /// <summary>Gets the requests received so far, oldest first (names only, never values).</summary>
    /// <returns>A snapshot of the request log.</returns>
    public IReadOnlyList<IssuerRequest> GetRequests()
    {
        lock (_requestsLock)
        {
            return [.. _requests];
        }
    }

    /// <summary>Clears the request log and every <see cref="RequestCount"/>.</summary>
    public void ResetRequests()
    {
        lock (_requestsLock)
        {
            _requests.Clear();
            _requestCounts.Clear();
        }
    }

    /// <summary>
    /// Records a request to <paramref name="endpoint"/> and applies the fault set for it, if any. Every endpoint
    /// handler calls this first (or is mapped with <c>MapIssuerEndpoint</c>, which does).
    /// </summary>
    /// <returns><see langword="true"/> if the fault already produced the outcome (response written, connection reset or
    /// request abandoned): the handler must then return without writing.</returns>
    internal async ValueTask<bool> ApplyFaultAsync(HttpContext context, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        var fault = Faults.Take(endpoint);
        await RecordAsync(context, endpoint, fault).ConfigureAwait(false);
        if (fault is null)
        {
            return false;
        }

        Log.FaultApplied(_logger, endpoint, fault);
        var response = context.Response;
        switch (fault.Kind)
        {
            case IssuerFaultKind.ServerError:
                await IssuerHttp.WriteJsonAsync(context, fault.StatusCode, new Dictionary<string, object?>
                {
                    ["error"] = "server_error",
                    ["error_description"] = $"Injected fault {fault} at endpoint '{endpoint}'.",
                }).ConfigureAwait(false);
                return true;
            case IssuerFaultKind.TooManyRequests:
                response.Headers.RetryAfter = ((long)Math.Ceiling(fault.Delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await IssuerHttp.WriteJsonAsync(context, 429, new Dictionary<string, object?>
                {
                    ["error"] = "temporarily_unavailable",
                    ["error_description"] = $"Injected fault {fault} at endpoint '{endpoint}'.",
                }).ConfigureAwait(false);
                return true;
            case IssuerFaultKind.OAuthError:
                await IssuerHttp.WriteJsonAsync(context, fault.StatusCode, new Dictionary<string, object?>
                {
                    ["error"] = fault.Error,
                    ["error_description"] = fault.ErrorDescription ?? $"Injected fault {fault} at endpoint '{endpoint}'.",
                }).ConfigureAwait(false);
                return true;
            case IssuerFaultKind.Hang:
                await WaitUntilAbortedAsync(context, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
                context.Abort();
                return true;
            case IssuerFaultKind.Latency:
                return await WaitUntilAbortedAsync(context, fault.Delay).ConfigureAwait(false);
            case IssuerFaultKind.SlowBody:
                response.Body = new TrickleStream(response.Body, fault.ChunkSize, fault.Delay, Abandoned(context));
                return false;
            case IssuerFaultKind.GarbageJson:
                response.StatusCode = 200;
                response.ContentType = "application/json";
                await response.WriteAsync("{\"access_token\": \"eyJ<<garbage", context.RequestAborted).ConfigureAwait(false);
                return true;
            case IssuerFaultKind.NonJwtToken:
            case IssuerFaultKind.ExpiredToken:
                context.Items[TokenFaultKey] = fault;
                return false;
            case IssuerFaultKind.ConnectionReset:
                context.Abort();
                return true;
            default:
                throw new InvalidOperationException($"Unknown fault kind {fault.Kind}.");
        }
    }

    /// <returns><see langword="true"/> if the wait ended because the client or the issuer gave up.</returns>
    private async Task<bool> WaitUntilAbortedAsync(HttpContext context, TimeSpan delay)
    {
        try
        {
            // Real time on purpose: the delay is the server being slow, not something the test clock should drive.
            await Task.Delay(delay, TimeProvider.System, Abandoned(context)).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private CancellationToken Abandoned(HttpContext context)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        context.Response.RegisterForDispose(linked);
        return linked.Token;
    }

    private async Task RecordAsync(HttpContext context, string endpoint, IssuerFault? fault)
    {
        var request = context.Request;
        IReadOnlyList<string> formKeys = [];
        if (request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
                formKeys = [.. form.Keys];
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or OperationCanceledException)
            {
                // A malformed or abandoned body: the endpoint handler reports it; the log keeps no keys.
            }
        }

        var record = new IssuerRequest(endpoint, request.Method, request.Path.Value ?? "/", [.. request.Query.Keys], formKeys, Time.GetUtcNow(), fault);
        lock (_requestsLock)
        {
            _requests.Add(record);
            _requestCounts[endpoint] = _requestCounts.GetValueOrDefault(endpoint) + 1;
        }

        Log.RequestReceived(_logger, endpoint, record.Method, record.Path);
        RequestRecorded?.Invoke(record);
    }
}

using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>
/// One client connection: SSL/GSS negotiation, StartupMessage, the CockroachDB JWT login (crdb-jwt-server §1.3,
/// era B or C), then a byte-for-byte splice to PostgreSQL for the rest of the session.
/// </summary>
internal sealed class EmulatorSession(EmulatorContext context, Socket socket)
{
    internal async Task RunAsync(CancellationToken cancellationToken)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var tls = false;
            while (true)
            {
                var packet = await PgWire.ReadStartupPacketAsync(stream, cancellationToken).ConfigureAwait(false);
                if (packet is null)
                {
                    return;
                }

                switch (PgWire.ReadCode(packet))
                {
                    case PgWire.SslRequestCode when !tls && context.TlsEnabled:
                        await WriteAsync(stream, [(byte)'S'], cancellationToken).ConfigureAwait(false);
                        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                        stream = ssl;
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = context.Certificate }, cancellationToken).ConfigureAwait(false);
                        tls = true;
                        continue;
                    case PgWire.SslRequestCode or PgWire.GssEncRequestCode when !tls:
                        await WriteAsync(stream, [(byte)'N'], cancellationToken).ConfigureAwait(false);
                        continue;
                    case PgWire.CancelRequestCode:
                        await ForwardCancelAsync(packet, cancellationToken).ConfigureAwait(false);
                        return;
                    case PgWire.ProtocolVersion3:
                        await LoginAsync(stream, tls, PgWire.ParseStartupParameters(packet), cancellationToken).ConfigureAwait(false);
                        return;
                    default:
                        await WriteAsync(stream, PgWire.ErrorResponse(LoginFailure.ProtocolViolation, "unsupported frontend protocol or request", null), cancellationToken).ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            EmulatorLog.ConnectionEnded(context.Logger, ex.GetType().Name);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or HttpRequestException)
        {
            // For example PostgreSQL stopped under the emulator: this connection ends, the emulator keeps serving.
            EmulatorLog.ConnectionFailed(context.Logger, ex.GetType().Name, ex.Message);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task LoginAsync(Stream stream, bool tls, List<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        context.CountAttempt();
        var settings = context.Settings.Snapshot();
        var rawUser = Parameter(parameters, "user") ?? string.Empty;
        var user = CockroachJwtIdentity.NormalizeUsername(rawUser);
        if (!tls && !context.AcceptPlaintext && !settings.Insecure)
        {
            await RejectAsync(stream, user, new LoginFailure(LoginFailure.ProtocolViolation, "node is running secure mode, SSL connection required"), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!CockroachStartupOptions.TryReadJwtFlag(Parameter(parameters, "options"), out var jwtFlag, out var optionsError))
        {
            await RejectAsync(stream, user, new LoginFailure(optionsError.SqlState, optionsError.Message), cancellationToken).ConfigureAwait(false);
            return;
        }

        EmulatorLog.LoginStarted(context.Logger, user, tls, jwtFlag);
        if (settings.Insecure)
        {
            await FinishAsync(stream, user, await context.Users.CheckAsync(user, cancellationToken).ConfigureAwait(false), parameters, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (jwtFlag != true)
        {
            // Normal HBA path: the emulator has no stored passwords, so a password (a JWT included) fails as a wrong one.
            await WriteAsync(stream, PgWire.AuthenticationCleartextPassword(), cancellationToken).ConfigureAwait(false);
            if (await ReadPasswordAsync(stream, user, cancellationToken).ConfigureAwait(false) is not null)
            {
                await RejectAsync(stream, user, LoginFailure.PasswordFailed(user), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var (loginUser, failure) = settings.Flow == CockroachJwtLoginFlow.RequestTokenAfterUserChecks
            ? await UserChecksThenTokenAsync(stream, settings, user, cancellationToken).ConfigureAwait(false)
            : await TokenThenUserChecksAsync(stream, settings, user, cancellationToken).ConfigureAwait(false);
        if (loginUser is null && failure is null)
        {
            return; // the client went away or broke the protocol (already answered)
        }

        await FinishAsync(stream, loginUser ?? user, failure, parameters, cancellationToken).ConfigureAwait(false);
    }

    // Era B (23.1 – 25.3).
    private async Task<(string? User, LoginFailure? Failure)> UserChecksThenTokenAsync(Stream stream, EmulatorSettings settings, string user, CancellationToken cancellationToken)
    {
        if (await context.Users.CheckAsync(user, cancellationToken).ConfigureAwait(false) is { } userFailure)
        {
            return (user, userFailure);
        }

        await WriteAsync(stream, PgWire.AuthenticationCleartextPassword(), cancellationToken).ConfigureAwait(false);
        var token = await ReadPasswordAsync(stream, user, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return (null, null);
        }

        if (token.Length == 0)
        {
            return (user, LoginFailure.PasswordFailed(user));
        }

        EmulatorLog.TokenReceived(context.Logger, user);
        var outcome = await context.Validator.ValidateAsync(settings, token, user, preCheck: false, cancellationToken).ConfigureAwait(false);
        return (outcome.User ?? user, outcome.Failure);
    }

    // Era C (25.4 and later).
    private async Task<(string? User, LoginFailure? Failure)> TokenThenUserChecksAsync(Stream stream, EmulatorSettings settings, string user, CancellationToken cancellationToken)
    {
        await WriteAsync(stream, PgWire.AuthenticationCleartextPassword(), cancellationToken).ConfigureAwait(false);
        var token = await ReadPasswordAsync(stream, user, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return (null, null);
        }

        if (token.Length == 0)
        {
            return (user, LoginFailure.PasswordFailed(user, LoginFailure.InvalidAuthorization));
        }

        EmulatorLog.TokenReceived(context.Logger, user);
        var pre = await context.Validator.ValidateAsync(settings, token, user, preCheck: true, cancellationToken).ConfigureAwait(false);
        if (pre.Failure is not null)
        {
            return (user, pre.Failure);
        }

        var resolved = pre.User!;
        if (await context.Users.CheckAsync(resolved, cancellationToken).ConfigureAwait(false) is { } userFailure)
        {
            return (resolved, userFailure);
        }

        var full = await context.Validator.ValidateAsync(settings, token, user, preCheck: false, cancellationToken).ConfigureAwait(false);
        return (full.User ?? resolved, full.Failure);
    }

    private async Task FinishAsync(Stream stream, string user, LoginFailure? failure, List<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        if (failure is not null)
        {
            await RejectAsync(stream, user, failure, cancellationToken).ConfigureAwait(false);
            return;
        }

        EmulatorLog.Accepted(context.Logger, user);
        var startup = PgWire.BuildStartupMessage(Upstream.StartupParameters(parameters, user));
        await Upstream.SpliceAsync(stream, context.UpstreamHost, context.UpstreamPort, startup, context.CountSuccess, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> ReadPasswordAsync(Stream stream, string user, CancellationToken cancellationToken)
    {
        var message = await PgWire.ReadMessageAsync(stream, cancellationToken).ConfigureAwait(false);
        if (message is not { Type: (byte)'p' } password)
        {
            return null;
        }

        var body = password.Body;
        if (body.Length == 0 || body[^1] != 0 || Array.IndexOf(body, (byte)0) != body.Length - 1)
        {
            await RejectAsync(stream, user, new LoginFailure(LoginFailure.ProtocolViolation, "expected 0-terminated byte array"), cancellationToken).ConfigureAwait(false);
            return null;
        }

        return Encoding.UTF8.GetString(body, 0, body.Length - 1);
    }

    private async Task RejectAsync(Stream stream, string user, LoginFailure failure, CancellationToken cancellationToken)
    {
        context.CountRejection(new CockroachJwtRejection(user, failure.SqlState, failure.Message, failure.Detail, failure.LogDetail));
        EmulatorLog.Rejected(context.Logger, user, failure.SqlState, failure.Message, failure.Detail, failure.LogDetail);
        await WriteAsync(stream, PgWire.ErrorResponse(failure.SqlState, failure.Message, failure.Detail), cancellationToken).ConfigureAwait(false);
    }

    private async Task ForwardCancelAsync(byte[] packet, CancellationToken cancellationToken)
    {
        await Upstream.SendOnceAsync(context.UpstreamHost, context.UpstreamPort, packet, cancellationToken).ConfigureAwait(false);
        EmulatorLog.CancelForwarded(context.Logger);
    }

    private static string? Parameter(List<KeyValuePair<string, string>> parameters, string name)
        => parameters.FirstOrDefault(p => p.Key == name).Value;

    private static async Task WriteAsync(Stream stream, byte[] bytes, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

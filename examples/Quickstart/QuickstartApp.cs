using System.Globalization;
using Npgsql;
using Npgsql.JwtSso.Okta;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Examples.Quickstart;

/// <summary>
/// The demo: a bot that logs in to a "CockroachDB cluster" with a JWT from an "Okta" service app and keeps working
/// while its token is refreshed in the background. With no arguments everything runs locally (a throwaway PostgreSQL
/// behind the CockroachDB JWT-login emulator, and an emulated Okta org); with arguments the same bot runs against a
/// real cluster and identity provider.
/// </summary>
internal static class QuickstartApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        QuickstartArguments arguments;
        try
        {
            arguments = QuickstartArguments.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await output.WriteLineAsync($"error: {ex.Message}\n\n{QuickstartArguments.Usage}").ConfigureAwait(false);
            return 2;
        }

        if (arguments.Help)
        {
            await output.WriteLineAsync(QuickstartArguments.Usage).ConfigureAwait(false);
            return 0;
        }

        try
        {
            return arguments.Connection is null
                ? await LocalDemo.RunAsync(arguments, output, cancellationToken).ConfigureAwait(false)
                : await RealCluster.RunAsync(arguments, output, cancellationToken).ConfigureAwait(false);
        }
        catch (JwtSsoException ex)
        {
            await output.WriteLineAsync($"JWT SSO error ({ex.Kind}): {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}

/// <summary>The bot itself: the same loop whatever the cluster and identity provider are.</summary>
internal static class Bot
{
    public static async Task<BotRun> RunAsync(JwtSsoDataSource dataSource, TimeSpan duration, TimeSpan interval, TextWriter output, Func<int>? sourceCalls, CancellationToken cancellationToken)
    {
        await using (var setup = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS bot_log (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), note text NOT NULL)", setup);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var run = new BotRun();
        var started = TimeProvider.System.GetTimestamp();
        string? lastFingerprint = null;
        while (TimeProvider.System.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
        {
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var insert = new NpgsqlCommand("INSERT INTO bot_log (note) VALUES (@note) RETURNING current_user, id", connection);
                insert.Parameters.AddWithValue("note", $"tick {run.Opens + 1}");
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var user = reader.GetString(0);
                var id = reader.GetInt64(1);
                run.Opens++;

                var status = dataSource.Cache.GetStatus();
                dataSource.Cache.TryGetToken(out var token);
                var fingerprint = token?.Fingerprint ?? "-";
                if (lastFingerprint is not null && fingerprint != lastFingerprint)
                {
                    run.Refreshes++;
                    await output.WriteLineAsync($"   ↻ background refresh: new token {fingerprint} replaced {lastFingerprint} before it expired; no open waited").ConfigureAwait(false);
                }

                lastFingerprint = fingerprint;
                var expiresIn = status.ExpiresOn is { } e ? $"{(e - TimeProvider.System.GetUtcNow()).TotalSeconds:0}s" : "never";
                var refreshIn = status.NextRefreshAt is { } r ? $"{Math.Max(0, (r - TimeProvider.System.GetUtcNow()).TotalSeconds):0}s" : "-";
                var calls = sourceCalls is null ? string.Empty : $" | identity-provider calls so far: {sourceCalls()}";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"[+{elapsed.TotalSeconds,4:0}s] inserted row {id} as '{user}' | token {fingerprint} expires in {expiresIn}, refresh in {refreshIn}{calls}")).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or JwtSsoException)
            {
                run.Failures++;
                await output.WriteLineAsync($"[+{elapsed.TotalSeconds,4:0}s] open failed: {ex.Message}").ConfigureAwait(false);
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }

        return run;
    }
}

/// <summary>What the bot did.</summary>
internal sealed class BotRun
{
    public int Opens { get; set; }

    public int Failures { get; set; }

    public int Refreshes { get; set; }
}

using Npgsql.JwtSso.Examples.Quickstart;

return await QuickstartApp.RunAsync(args, Console.Out, CancellationToken.None);

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "fleet")
{
    return await Npgsql.JwtSso.Benchmarks.Fleet.FleetRunner.MainAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "scenarios")
{
    return await Npgsql.JwtSso.Benchmarks.Scenarios.ScenarioRunner.MainAsync(args[1..]);
}

// The generated benchmark project can take minutes to build on a busy machine; the default 2-minute limit fails it.
var config = ManualConfig.Create(DefaultConfig.Instance);
config.BuildTimeout = TimeSpan.FromMinutes(15);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;

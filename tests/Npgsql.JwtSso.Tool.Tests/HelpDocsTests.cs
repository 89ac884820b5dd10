using System.CommandLine;
using System.Text.RegularExpressions;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>The README's CLI section and the help texts list exactly the options the commands have.</summary>
public sealed partial class HelpDocsTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    private static readonly string[] Commands = ["token", "url", "doctor", "cluster-settings"];

    // Options that belong to other programs in the examples (dotnet, psql) or to libpq's options value.
    private static readonly HashSet<string> Foreign = ["--global", "--crdb", "--help"];

    private Dictionary<string, HashSet<string>> ActualOptions()
    {
        var root = CommandLine.Build(Context);
        return root.Subcommands.ToDictionary(c => c.Name, c => c.Options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal) && n != "--help").ToHashSet());
    }

    private static string CliSection(string readme, string heading) => Markdown.Section(readme, heading);

    public static TheoryData<string> Readmes => new() { "root", "tool" };

    private static string Section(string which) => which == "root"
        ? CliSection(InstalledToolTests.RootReadme, "## Command-line tool: `crdb-jwt`")
        : CliSection(InstalledToolTests.ToolReadme, "# crdb-jwt (Npgsql.JwtSso.Tool)");

    [Theory]
    [MemberData(nameof(Readmes))]
    public void Readme_MentionsEveryOption(string which)
    {
        var section = Section(which);
        var mentioned = OptionName().Matches(section).Select(m => m.Value).ToHashSet();

        var missing = ActualOptions().SelectMany(c => c.Value.Select(o => $"{c.Key} {o}")).Where(o => !mentioned.Contains(o.Split(' ')[1])).ToList();

        Assert.True(missing.Count == 0, "README does not document: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void Readme_MentionsNoOptionThatDoesNotExist(string which)
    {
        var all = ActualOptions().SelectMany(c => c.Value).ToHashSet();
        var mentioned = OptionName().Matches(Section(which)).Select(m => m.Value).Where(o => !Foreign.Contains(o)).ToHashSet();

        Assert.Empty(mentioned.Except(all));
    }

    [Fact]
    public void Readme_ExampleLines_UseOnlyTheirCommandsOptions()
    {
        var actual = ActualOptions();
        foreach (var block in InstalledToolTests.CliBlocks)
        {
            var text = block.Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (Match call in Invocation().Matches(text))
            {
                var command = call.Groups[1].Value;
                Assert.True(actual.ContainsKey(command), $"README runs an unknown command '{command}'");
                var used = OptionName().Matches(call.Groups[2].Value).Select(m => m.Value).Where(o => !Foreign.Contains(o)).ToList();
                Assert.All(used, o => Assert.Contains(o, actual[command]));
            }
        }
    }

    [Theory]
    [InlineData("token")]
    [InlineData("url")]
    [InlineData("doctor")]
    [InlineData("cluster-settings")]
    public async Task Help_ListsEveryOptionOfTheCommand(string command)
    {
        var result = await RunAsync(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.All(ActualOptions()[command], o => Assert.Contains(o, result.Stdout, StringComparison.Ordinal));
        Assert.Contains(command, Commands);
    }

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"crdb-jwt ([a-z][a-z-]*)((?:[^\n$)]|\$\w|\$\()*)")]
    private static partial Regex Invocation();
}

using System.Text;

namespace Npgsql.JwtSso.Tests.Cockroach.Internal.Re2;

/// <summary>The differential corpus: hand-written edges plus a seeded random part (reproducible).</summary>
internal static class Re2Corpus
{
    private const string Iss = "iss";

    private static readonly string[] Principals =
    [
        "alice", "Alice", "bob_42", "alice@x", "alice\n", "jörg", "\u0663\u0664", "😀x", "x😀y", "", "a", "aa", "ab", "abc", "b",
        "KELVIN\u212A", "ſ", "ΣΑΣ", "İpek", "bılge", "a b", "a\tb", "x.y@corp.example", "123", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
        "foo\nbar", "\u00e9", "e\u0301", "ǅ", "ß", "_", "a-b", "ÀÉÎ", "Ωmega", "日本語", "x{2}", "a+b", "(a)", "\\1",
    ];

    // Patterns used as "/<pattern>" with username "\1" when they have a group, "u_\1x" to see placement, or "u" otherwise.
    private static readonly string[] Patterns =
    [
        // the table
        "^(?<u>[a-z]+)_([0-9]+)$", "^(?P<n>[a-z]+)_([0-9]+)$", "([[:alpha:]]+)", "(\\w+)", "(\\d+)", "^(.*)$", "(\\pL+)", "(\\p{Greek}+)",
        "\\Qa.b\\E(.)", "^(a+)+$", "^(.)", "(.)x", "x(.)",
        // classes
        "([[:^alpha:]]+)", "([[:digit:][:upper:]]+)", "([[:word:]]+)", "([[:punct:]]+)", "([[:space:]]+)", "([[:xdigit:]]+)", "([[:foo:]])",
        "([^a])", "([^\\n]+)", "([]a]+)", "([^]a]+)", "([a-])", "([-a]+)", "([z-a])", "([a", "[[:alpha:]", "([\\d\\s]+)", "([\\D]+)",
        "([\\pL\\pN]+)", "([\\p{^L}]+)", "(\\P{L}+)", "(\\P{^L}+)", "(\\p{Lu}+)", "(\\p{Han}+)", "(\\p{Nope})", "(\\p{L)", "(\\p)", "(\\pZ)",
        "(\\p{Any}+)", "([\\x{1F600}-\\x{1F64F}])", "([\\x00-\\x7F]+)", "([à-ÿ]+)", "([\\Q]\\E])",
        // flags
        "(?i)(alice)", "(?i)^(ALICE)$", "(?i:A)(l)", "(?i)(k)", "(?i)(s)", "(?i)([k])", "(?i)(\\W)", "(?i)([^k]+)", "(?i)(σ)", "(?i)(\\p{Lu}+)",
        "(?m)^(.*)$", "(?m)(bar)$", "(?s)(.+)", "(?s:.)(.)", "(?U)(a+)", "(?U)(a+?)", "(a+?)", "(a*?)b", "(?i-i)(A)", "(?-m)(.)$",
        "(?im)^(B.*)", "(?is)(A.B)", "(?x)(a)", "(?)", "(?-)", "(?i-)", "(?--i)", "(?i", "(?P<n", "(?P<>a)", "(?P<é>a)", "(?<n>a)(b)",
        "(?P=n)", "(?#c)", "(?=a)", "(?!a)", "(?<=a)", "(?<!a)", "(?>a)", "(?|a)", "(?:a)(b)", "(?:(a)|b)",
        // anchors
        "^(a)", "(a)$", "\\A(a)", "(a)\\z", "(a)\\Z", "\\b(a)\\b", "\\B(b)", "(\\b)", "^$", "^", "$", "(^a|b$)", "(a$|b)", "^(a*)$",
        // alternation order and greediness
        "(a|ab)(c|bcd)?", "(ab|a)", "(a|ab)", "^(a|ab)$", "(|a)", "(a|)", "(a*)+", "(a*)*", "(a?)*", "(a|b)*", "((a)|b)+", "(a*?)+?", "(a+|b+)*",
        "x*(.)", "(a{2,3})", "(a{2,3}?)", "(a{2})", "(a{0})", "(a{1000})", "(a{1001})", "(a{2,1})", "(a{,3})", "(a{1,2)", "a{01}", "((a{100}){10})",
        "((a{100}){11})", "(a**)", "(a*+)", "(a*?*)", "(a{2}{3})", "(*)", "(+a)", "(?:*)", "(a|*)", "^*", "(a)(?i)*", "(){2}(a)", "(a{1000000000})",
        // escapes
        "(\\.)", "(\\_)", "(\\q)", "(\\8)", "(\\1)", "(a)\\1", "(\\12)", "(\\0)", "(\\08)", "(\\x41)", "(\\x4)", "(\\x)", "(\\x{1F600})", "(\\x{})",
        "(\\x{110000})", "(\\x{zz})", "(\\x{41)", "(\\a\\f)", "(\\t)", "(\\v)", "(\\C)", "(\\é)", "a\\", "(\\Qa)", "(\\Q\\E)", "\\Q(\\E(a)",
        "(\\pL)\\", "(\\N{DIGIT})", "(\\k<n>)", "(\\G)", "(\\e)", "(\\cA)", "(\\h)", "(\\R)", "(\\X)",
        // structure
        "()", "(a)(b)(c)", "((a)(b))", "(a", "a)", "(a))", "((a)", ")", "|", "(|)", "(a||b)", "(a)|(b)", "\\((a)\\)", "[(](a)", "(a)|",
        "(.*)@(.*)", "^([^@]+)@example\\.com$", "^(.*)@cockroachlabs\\.com$", "^([9-0]*)$", "^([0-9]*)$", "(😀)", "([😀-😂])", "(é)", "(e\u0301)",
    ];

    public static IReadOnlyList<MapCase> Build()
    {
        var cases = new List<MapCase>();
        foreach (var p in Patterns)
        {
            cases.Add(Case($"{Iss} /{p} \\1", $"pattern {p}"));
            cases.Add(Case($"{Iss} /{p} u_\\1x\n{Iss} /{p} u", $"pattern {p} (two rules)"));
        }

        foreach (var p in new[] { "(alice)", "^(ALICE)$", "(k)", "(σ)", "([a-z]+)", "(\\w+)", "(\\p{Lu})" })
        {
            cases.Add(Case($"{Iss} /{p} \\1", $"ignore-case {p}") with { IgnoreCase = true });
        }

        AddLines(cases);
        AddNormalisation(cases);
        AddRandom(cases, new Random(20261201), 160);
        return cases;
    }

    private static MapCase Case(string config, string label, IReadOnlyList<string>? principals = null) =>
        new(config, false, Iss, principals ?? Principals) { Label = label };

    private static void AddLines(List<MapCase> cases)
    {
        string[] configs =
        [
            "iss alice bob", "iss Alice bob", "iss alice Bob", "# only a comment", "", "\n\n", "iss alice bob # trailing", "iss alice#x bob",
            "iss alice", "iss alice bob extra", "iss\talice\tbob", "iss\falice\fbob", "iss\valice bob", "iss\u00a0alice bob", "iss\u3000alice bob",
            "iss\u2028alice bob", "iss alice\u00a0 bob", "\u00a0iss alice bob\u00a0", "\u3000iss alice bob", "iss alice bob\r", "iss alice bob\r\r",
            "iss alice bob\r\nx y", "line1 a b\nbad\n", "  \t  \niss a b c", "iss a.b bob", "iss a+b bob", "iss (a) bob", "iss x{2} bob",
            "iss \\1 bob", "iss alice \\1", "iss /a \\1", "iss /(a) \\1\\1", "iss /(a) \\2", "iss /(a) x\\1y\\1", "iss /(.*) \\1",
            "other alice bob", "iss alice bob\niss alice carol\niss alice bob", "iss alice Bob\niss alice bob", "iss /^(.)(.*)$ \\1",
            "iss /(a)|(b) [\\1]", "iss //a b", "iss / b", "iss /^$ empty", "iss alice \\1x",
        ];
        foreach (var c in configs)
        {
            cases.Add(Case(c, $"line {c}"));
        }
    }

    private static void AddNormalisation(List<MapCase> cases)
    {
        string[] users = ["İpek", "bılge", "ΣΑΣ", "ǅ", "ß", "ẞ", "KELVIN\u212A", "E\u0301", "Ω", "\u2126", "ÀÉÎ", "Ⅻ", "Ａ", "𝐀", "𐐀"];
        foreach (var u in users)
        {
            cases.Add(Case($"iss /(.*) {u}\\1", $"normalise {u}", ["", "İ", "x"]));
            cases.Add(Case($"iss alice {u}", $"normalise literal {u}", ["alice"]));
        }
    }

    private static void AddRandom(List<MapCase> cases, Random random, int count)
    {
        string[] atoms = ["a", "b", "A", "é", "😀", ".", "\\w", "\\d", "\\s", "[ab]", "[^a]", "[[:alpha:]]", "\\pL", "\\b", "^", "$", "_", "1", "\\x41", "(?i:a)"];
        string[] ops = ["", "", "*", "+", "?", "*?", "+?", "??", "{2}", "{1,2}", "{0,}", "{2,}?"];
        string[] inputs = ["", "a", "ab", "ba", "aab", "AaB", "é", "éa", "😀a", "a😀", "a1_", "1a", "a b", "A_b", "abab", "baba", "ééA", "_1"];
        for (var i = 0; i < count; i++)
        {
            var sb = new StringBuilder();
            var open = 0;
            var length = random.Next(1, 7);
            for (var k = 0; k < length; k++)
            {
                switch (random.Next(8))
                {
                    case 0:
                        sb.Append('(');
                        open++;
                        continue;
                    case 1 when open > 0:
                        sb.Append(')');
                        open--;
                        break;
                    case 2:
                        sb.Append('|');
                        continue;
                    default:
                        sb.Append(atoms[random.Next(atoms.Length)]);
                        break;
                }

                sb.Append(ops[random.Next(ops.Length)]);
            }

            sb.Append(')', open);
            var pattern = "(" + sb + ")";
            var principals = Enumerable.Range(0, 5).Select(_ => inputs[random.Next(inputs.Length)]).ToArray();
            cases.Add(Case($"{Iss} /{pattern} u\\1", $"random {pattern}", principals) with { IgnoreCase = random.Next(6) == 0 });
        }
    }
}

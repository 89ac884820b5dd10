namespace Npgsql.JwtSso.Internal.Re2;

internal enum Re2Op
{
    Empty,
    NoMatch,
    CharSet,
    BeginText,
    EndText,
    BeginLine,
    EndLine,
    WordBoundary,
    NoWordBoundary,
    Capture,
    Concat,
    Alternate,
    Repeat,
}

/// <summary>One node of a parsed RE2 expression (the shape of Go's <c>syntax.Regexp</c> before simplification).</summary>
internal sealed class Re2Node(Re2Op op)
{
    public Re2Op Op { get; } = op;

    public Re2CodeSet? Set { get; init; }

    public List<Re2Node> Subs { get; } = [];

    public int Min { get; init; }

    /// <summary>Gets the maximum count of a repeat; -1 for none.</summary>
    public int Max { get; init; }

    public bool Greedy { get; init; } = true;

    /// <summary>Gets a value indicating whether the repeat was written with braces (Go's OpRepeat, subject to the 1000 limit).</summary>
    public bool IsCounted { get; init; }

    public int Cap { get; init; }

    /// <summary>Gets a value indicating whether the node can only match the empty string.</summary>
    public bool AlwaysEmpty() => Op switch
    {
        Re2Op.CharSet or Re2Op.NoMatch => false,
        Re2Op.Capture => Subs[0].AlwaysEmpty(),
        Re2Op.Concat or Re2Op.Alternate => Subs.TrueForAll(s => s.AlwaysEmpty()),
        Re2Op.Repeat => Max == 0 || Subs[0].AlwaysEmpty(),
        _ => true,
    };

    public bool CanBeEmpty() => Op switch
    {
        Re2Op.CharSet or Re2Op.NoMatch => false,
        Re2Op.Capture => Subs[0].CanBeEmpty(),
        Re2Op.Concat => Subs.TrueForAll(s => s.CanBeEmpty()),
        Re2Op.Alternate => Subs.Exists(s => s.CanBeEmpty()),
        Re2Op.Repeat => Min == 0 || Subs[0].CanBeEmpty(),
        _ => true,
    };
}

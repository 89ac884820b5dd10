namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>
/// Parses Go <c>regexp</c> syntax (<c>syntax.Perl</c> flags, as <c>regexp.Compile</c> uses) and refuses exactly what it
/// refuses, with Go's error text. Follows Go's left-to-right single pass so the first error reported is Go's. Named
/// groups are accepted in both the <c>(?P&lt;n&gt;</c> and the Go 1.22+ <c>(?&lt;n&gt;</c> form; Go's size and
/// nesting-depth limits (far beyond any identity-map line) are not reproduced.
/// </summary>
internal sealed class Re2Parser
{
    private const string ErrInvalidCharRange = "invalid character class range";
    private const string ErrInvalidEscape = "invalid escape sequence";
    private const string ErrInvalidNamedCapture = "invalid named capture";
    private const string ErrInvalidPerlOp = "invalid or unsupported Perl syntax";
    private const string ErrInvalidRepeatOp = "invalid nested repetition operator";
    private const string ErrInvalidRepeatSize = "invalid repeat count";
    private const string ErrMissingBracket = "missing closing ]";
    private const string ErrMissingParen = "missing closing )";
    private const string ErrMissingRepeatArgument = "missing argument to repetition operator";
    private const string ErrTrailingBackslash = "trailing backslash at end of expression";
    private const string ErrUnexpectedParen = "unexpected )";

    private static readonly Re2CodeSet Digit = Re2CodeSet.Of('0', '9');
    private static readonly Re2CodeSet Space = Ranges('\t', '\n', '\f', '\r', ' ', ' ');
    private static readonly Re2CodeSet Word = Ranges('0', '9', 'A', 'Z', '_', '_', 'a', 'z');
    private static readonly Dictionary<string, (int Sign, Re2CodeSet Set)> Posix = BuildPosix();

    private readonly string _s;
    private readonly Stack<Frame> _stack = new();
    private int _pos;
    private Flags _flags;
    private int _numCap;

    private Re2Parser(string pattern)
    {
        _s = pattern;
        _flags = Flags.OneLine;
    }

    [System.Flags]
    private enum Flags
    {
        FoldCase = 1,
        OneLine = 2,
        DotNL = 4,
        NonGreedy = 8,
    }

    private Frame Top => _stack.Peek();

    /// <summary>Parses <paramref name="pattern"/>; throws <see cref="Re2SyntaxException"/> where Go's <c>regexp.Compile</c> fails.</summary>
    public static (Re2Node Root, int NumSubexp) Parse(string pattern) => new Re2Parser(pattern).Run();

    private static Re2CodeSet Ranges(params int[] bounds)
    {
        var set = new Re2CodeSet();
        for (var i = 0; i < bounds.Length; i += 2)
        {
            set.Add(bounds[i], bounds[i + 1]);
        }

        return set;
    }

    private static Dictionary<string, (int Sign, Re2CodeSet Set)> BuildPosix()
    {
        var groups = new Dictionary<string, Re2CodeSet>(StringComparer.Ordinal)
        {
            ["alnum"] = Ranges('0', '9', 'A', 'Z', 'a', 'z'),
            ["alpha"] = Ranges('A', 'Z', 'a', 'z'),
            ["ascii"] = Ranges(0, 0x7F),
            ["blank"] = Ranges('\t', '\t', ' ', ' '),
            ["cntrl"] = Ranges(0, 0x1F, 0x7F, 0x7F),
            ["digit"] = Ranges('0', '9'),
            ["graph"] = Ranges('!', '~'),
            ["lower"] = Ranges('a', 'z'),
            ["print"] = Ranges(' ', '~'),
            ["punct"] = Ranges('!', '/', ':', '@', '[', '`', '{', '~'),
            ["space"] = Ranges('\t', '\r', ' ', ' '),
            ["upper"] = Ranges('A', 'Z'),
            ["word"] = Ranges('0', '9', 'A', 'Z', 'a', 'z', '_', '_'),
            ["xdigit"] = Ranges('0', '9', 'A', 'F', 'a', 'f'),
        };
        var result = new Dictionary<string, (int, Re2CodeSet)>(StringComparer.Ordinal);
        foreach (var (name, set) in groups)
        {
            result[$"[:{name}:]"] = (1, set);
            result[$"[:^{name}:]"] = (-1, set);
        }

        return result;
    }

    private static bool IsAlnum(int c) => c is >= '0' and <= '9' or >= 'A' and <= 'Z' or >= 'a' and <= 'z';

    private static int Unhex(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private (Re2Node, int) Run()
    {
        _stack.Push(new Frame(0, _flags));
        var lastRepeat = -1;
        while (_pos < _s.Length)
        {
            var repeat = -1;
            switch (_s[_pos])
            {
                case '(':
                    if (_pos + 1 < _s.Length && _s[_pos + 1] == '?')
                    {
                        ParsePerlFlags();
                        break;
                    }

                    _stack.Push(new Frame(++_numCap, _flags));
                    _pos++;
                    break;
                case '|':
                    Top.Alternatives.Add(Top.Concat);
                    Top.Concat = [];
                    _pos++;
                    break;
                case ')':
                    CloseParen();
                    _pos++;
                    break;
                case '^':
                    Push(new Re2Node(_flags.HasFlag(Flags.OneLine) ? Re2Op.BeginText : Re2Op.BeginLine));
                    _pos++;
                    break;
                case '$':
                    Push(new Re2Node(_flags.HasFlag(Flags.OneLine) ? Re2Op.EndText : Re2Op.EndLine));
                    _pos++;
                    break;
                case '.':
                    Push(SetNode(_flags.HasFlag(Flags.DotNL) ? Re2CodeSet.Of(0, Re2CodeSet.MaxRune) : Ranges(0, '\n' - 1, '\n' + 1, Re2CodeSet.MaxRune)));
                    _pos++;
                    break;
                case '[':
                    ParseClass();
                    break;
                case '*' or '+' or '?':
                    {
                        var before = _pos;
                        var (min, max) = _s[_pos] switch { '*' => (0, -1), '+' => (1, -1), _ => (0, 1) };
                        ApplyRepeat(min, max, false, before, _pos + 1, lastRepeat);
                        repeat = before;
                        break;
                    }

                case '{':
                    {
                        var before = _pos;
                        if (!TryParseRepeat(out var min, out var max, out var after))
                        {
                            Literal('{');
                            _pos++;
                            break;
                        }

                        if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
                        {
                            throw new Re2SyntaxException(ErrInvalidRepeatSize, _s[before..after]);
                        }

                        ApplyRepeat(min, max, true, before, after, lastRepeat);
                        repeat = before;
                        break;
                    }

                case '\\':
                    ParseBackslash();
                    break;
                default:
                    Literal(NextRune(ref _pos));
                    break;
            }

            lastRepeat = repeat;
        }

        if (_stack.Count != 1)
        {
            throw new Re2SyntaxException(ErrMissingParen, _s);
        }

        return (_stack.Pop().Build(), _numCap);
    }

    private void ParseBackslash()
    {
        if (_pos + 1 < _s.Length)
        {
            switch (_s[_pos + 1])
            {
                case 'A':
                    Push(new Re2Node(Re2Op.BeginText));
                    _pos += 2;
                    return;
                case 'b':
                    Push(new Re2Node(Re2Op.WordBoundary));
                    _pos += 2;
                    return;
                case 'B':
                    Push(new Re2Node(Re2Op.NoWordBoundary));
                    _pos += 2;
                    return;
                case 'C':
                    throw new Re2SyntaxException(ErrInvalidEscape, @"\C");
                case 'Q':
                    {
                        var end = _s.IndexOf(@"\E", _pos + 2, StringComparison.Ordinal);
                        var stop = end < 0 ? _s.Length : end;
                        var i = _pos + 2;
                        while (i < stop)
                        {
                            Literal(NextRune(ref i));
                        }

                        _pos = end < 0 ? _s.Length : end + 2;
                        return;
                    }

                case 'z':
                    Push(new Re2Node(Re2Op.EndText));
                    _pos += 2;
                    return;
                default:
                    break;
            }
        }

        var set = new Re2CodeSet();
        if (TryParseUnicodeClass(ref _pos, set) || TryParsePerlClass(ref _pos, set))
        {
            Push(SetNode(set));
            return;
        }

        Literal(ParseEscape(ref _pos));
    }

    private void ApplyRepeat(int min, int max, bool counted, int before, int after, int lastRepeat)
    {
        var nonGreedy = _flags.HasFlag(Flags.NonGreedy);
        if (after < _s.Length && _s[after] == '?')
        {
            after++;
            nonGreedy = !nonGreedy;
        }

        if (lastRepeat >= 0)
        {
            throw new Re2SyntaxException(ErrInvalidRepeatOp, _s[lastRepeat..after]);
        }

        var concat = Top.Concat;
        if (concat.Count == 0)
        {
            throw new Re2SyntaxException(ErrMissingRepeatArgument, _s[before..after]);
        }

        var node = new Re2Node(Re2Op.Repeat) { Min = min, Max = max, Greedy = !nonGreedy, IsCounted = counted };
        node.Subs.Add(concat[^1]);
        concat[^1] = node;
        if (counted && (min >= 2 || max >= 2) && !RepeatIsValid(node, 1000))
        {
            throw new Re2SyntaxException(ErrInvalidRepeatSize, _s[before..after]);
        }

        _pos = after;
    }

    private static bool RepeatIsValid(Re2Node node, int n)
    {
        if (node.Op == Re2Op.Repeat && node.IsCounted)
        {
            var m = node.Max;
            if (m == 0)
            {
                return true;
            }

            if (m < 0)
            {
                m = node.Min;
            }

            if (m > n)
            {
                return false;
            }

            if (m > 0)
            {
                n /= m;
            }
        }

        return node.Subs.TrueForAll(s => RepeatIsValid(s, n));
    }

    private bool TryParseRepeat(out int min, out int max, out int after)
    {
        min = max = after = 0;
        var i = _pos + 1;
        if (!TryParseInt(ref i, out min) || i >= _s.Length)
        {
            return false;
        }

        if (_s[i] != ',')
        {
            max = min;
        }
        else
        {
            i++;
            if (i >= _s.Length)
            {
                return false;
            }

            if (_s[i] == '}')
            {
                max = -1;
            }
            else if (!TryParseInt(ref i, out max))
            {
                return false;
            }
            else if (max < 0)
            {
                min = -1;
            }
        }

        if (i >= _s.Length || _s[i] != '}')
        {
            return false;
        }

        after = i + 1;
        return true;
    }

    private bool TryParseInt(ref int i, out int n)
    {
        n = 0;
        if (i >= _s.Length || _s[i] is < '0' or > '9')
        {
            return false;
        }

        if (i + 1 < _s.Length && _s[i] == '0' && _s[i + 1] is >= '0' and <= '9')
        {
            return false;
        }

        var start = i;
        while (i < _s.Length && _s[i] is >= '0' and <= '9')
        {
            i++;
        }

        for (var k = start; k < i; k++)
        {
            if (n >= 100_000_000)
            {
                n = -1;
                break;
            }

            n = (n * 10) + (_s[k] - '0');
        }

        return true;
    }

    private void ParsePerlFlags()
    {
        var start = _pos;
        var rest = _s.Length - start;
        var pythonName = rest > 4 && _s[start + 2] == 'P' && _s[start + 3] == '<';
        var perlName = rest > 3 && _s[start + 2] == '<';
        if (pythonName || perlName)
        {
            var end = _s.IndexOf('>', start);
            if (end < 0)
            {
                throw new Re2SyntaxException(ErrInvalidNamedCapture, _s[start..]);
            }

            var name = _s[(start + (pythonName ? 4 : 3))..end];
            if (name.Length == 0 || !name.All(c => c == '_' || IsAlnum(c)))
            {
                throw new Re2SyntaxException(ErrInvalidNamedCapture, _s[start..(end + 1)]);
            }

            _stack.Push(new Frame(++_numCap, _flags));
            _pos = end + 1;
            return;
        }

        var t = start + 2;
        var flags = _flags;
        var negate = false;
        var sawFlag = false;
        while (t < _s.Length)
        {
            var c = NextRune(ref t);
            switch (c)
            {
                case 'i':
                    flags = negate ? flags & ~Flags.FoldCase : flags | Flags.FoldCase;
                    sawFlag = true;
                    continue;
                case 'm':
                    flags = negate ? flags | Flags.OneLine : flags & ~Flags.OneLine;
                    sawFlag = true;
                    continue;
                case 's':
                    flags = negate ? flags & ~Flags.DotNL : flags | Flags.DotNL;
                    sawFlag = true;
                    continue;
                case 'U':
                    flags = negate ? flags & ~Flags.NonGreedy : flags | Flags.NonGreedy;
                    sawFlag = true;
                    continue;
                case '-' when !negate:
                    negate = true;
                    sawFlag = false;
                    continue;
                case ':' or ')' when !negate || sawFlag:
                    if (c == ':')
                    {
                        _stack.Push(new Frame(0, _flags));
                    }

                    _flags = flags;
                    _pos = t;
                    return;
                default:
                    break;
            }

            break;
        }

        throw new Re2SyntaxException(ErrInvalidPerlOp, _s[start..t]);
    }

    private void CloseParen()
    {
        if (_stack.Count < 2)
        {
            throw new Re2SyntaxException(ErrUnexpectedParen, _s);
        }

        var frame = _stack.Pop();
        _flags = frame.SavedFlags;
        var body = frame.Build();
        if (frame.Cap == 0)
        {
            Push(body);
            return;
        }

        var capture = new Re2Node(Re2Op.Capture) { Cap = frame.Cap };
        capture.Subs.Add(body);
        Push(capture);
    }

    private void ParseClass()
    {
        var start = _pos;
        var t = _pos + 1;
        var negate = false;
        if (t < _s.Length && _s[t] == '^')
        {
            negate = true;
            t++;
        }

        var set = new Re2CodeSet();
        var first = true;
        while (t >= _s.Length || _s[t] != ']' || first)
        {
            first = false;
            if (_s.Length - t > 2 && _s[t] == '[' && _s[t + 1] == ':')
            {
                var close = _s.IndexOf(":]", t + 2, StringComparison.Ordinal);
                if (close >= 0)
                {
                    var name = _s[t..(close + 2)];
                    if (!Posix.TryGetValue(name, out var group))
                    {
                        throw new Re2SyntaxException(ErrInvalidCharRange, name);
                    }

                    AddGroup(set, group.Sign, group.Set);
                    t = close + 2;
                    continue;
                }
            }

            if (TryParseUnicodeClass(ref t, set) || TryParsePerlClass(ref t, set))
            {
                continue;
            }

            var rangeStart = t;
            var lo = ParseClassChar(ref t, start);
            var hi = lo;
            if (_s.Length - t >= 2 && _s[t] == '-' && _s[t + 1] != ']')
            {
                t++;
                hi = ParseClassChar(ref t, start);
                if (hi < lo)
                {
                    throw new Re2SyntaxException(ErrInvalidCharRange, _s[rangeStart..t]);
                }
            }

            var range = Re2CodeSet.Of(lo, hi);
            set.Add(_flags.HasFlag(Flags.FoldCase) ? range.FoldClosure() : range);
        }

        _pos = t + 1;
        Push(SetNode(negate ? set.Negate() : set));
    }

    private int ParseClassChar(ref int t, int classStart)
    {
        if (t >= _s.Length)
        {
            throw new Re2SyntaxException(ErrMissingBracket, _s[classStart..]);
        }

        return _s[t] == '\\' ? ParseEscape(ref t) : NextRune(ref t);
    }

    private bool TryParsePerlClass(ref int t, Re2CodeSet into)
    {
        if (_s.Length - t < 2 || _s[t] != '\\')
        {
            return false;
        }

        var (sign, set) = _s[t + 1] switch
        {
            'd' => (1, Digit),
            'D' => (-1, Digit),
            's' => (1, Space),
            'S' => (-1, Space),
            'w' => (1, Word),
            'W' => (-1, Word),
            _ => (0, Digit),
        };
        if (sign == 0)
        {
            return false;
        }

        AddGroup(into, sign, set);
        t += 2;
        return true;
    }

    private void AddGroup(Re2CodeSet into, int sign, Re2CodeSet set)
    {
        if (_flags.HasFlag(Flags.FoldCase))
        {
            set = set.FoldClosure();
        }

        into.Add(sign < 0 ? set.Negate() : set);
    }

    private bool TryParseUnicodeClass(ref int t, Re2CodeSet into)
    {
        if (_s.Length - t < 2 || _s[t] != '\\' || (_s[t + 1] != 'p' && _s[t + 1] != 'P'))
        {
            return false;
        }

        var sign = _s[t + 1] == 'P' ? -1 : 1;
        var u = t + 2;
        var c = u < _s.Length ? NextRune(ref u) : 0xFFFD;
        string seq, name;
        if (c != '{')
        {
            seq = _s[t..u];
            name = seq[2..];
        }
        else
        {
            var end = _s.IndexOf('}', t);
            if (end < 0)
            {
                throw new Re2SyntaxException(ErrInvalidCharRange, _s[t..]);
            }

            seq = _s[t..(end + 1)];
            name = _s[(t + 3)..end];
            u = end + 1;
        }

        if (name.StartsWith('^'))
        {
            sign = -sign;
            name = name[1..];
        }

        var table = Re2UnicodeData.Table(name) ?? throw new Re2SyntaxException(ErrInvalidCharRange, seq);
        if (_flags.HasFlag(Flags.FoldCase) && Re2UnicodeData.FoldTable(name) is { } fold)
        {
            var merged = new Re2CodeSet();
            merged.Add(table);
            merged.Add(fold);
            table = merged;
        }

        into.Add(sign < 0 ? table.Negate() : table);
        t = u;
        return true;
    }

    private int ParseEscape(ref int t)
    {
        var start = t;
        t++;
        if (t >= _s.Length)
        {
            throw new Re2SyntaxException(ErrTrailingBackslash, string.Empty);
        }

        var c = NextRune(ref t);
        switch (c)
        {
            case >= '1' and <= '7' when t >= _s.Length || _s[t] is < '0' or > '7':
                break;
            case >= '0' and <= '7':
                {
                    var r = c - '0';
                    for (var i = 1; i < 3 && t < _s.Length && _s[t] is >= '0' and <= '7'; i++)
                    {
                        r = (r * 8) + (_s[t] - '0');
                        t++;
                    }

                    return r;
                }

            case 'x':
                if (t >= _s.Length)
                {
                    break;
                }

                c = NextRune(ref t);
                if (c == '{')
                {
                    var nhex = 0;
                    var r = 0;
                    while (true)
                    {
                        if (t >= _s.Length)
                        {
                            throw new Re2SyntaxException(ErrInvalidEscape, _s[start..t]);
                        }

                        c = NextRune(ref t);
                        if (c == '}')
                        {
                            break;
                        }

                        var v = Unhex(c);
                        if (v < 0)
                        {
                            throw new Re2SyntaxException(ErrInvalidEscape, _s[start..t]);
                        }

                        r = (r * 16) + v;
                        if (r > Re2CodeSet.MaxRune)
                        {
                            throw new Re2SyntaxException(ErrInvalidEscape, _s[start..t]);
                        }

                        nhex++;
                    }

                    if (nhex == 0)
                    {
                        break;
                    }

                    return r;
                }

                {
                    var x = Unhex(c);
                    c = t < _s.Length ? NextRune(ref t) : 0xFFFD;
                    var y = Unhex(c);
                    if (x < 0 || y < 0)
                    {
                        break;
                    }

                    return (x * 16) + y;
                }

            case 'a':
                return 7;
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'v':
                return '\v';
            default:
                if (c < 0x80 && !IsAlnum(c))
                {
                    return c;
                }

                break;
        }

        throw new Re2SyntaxException(ErrInvalidEscape, _s[start..t]);
    }

    private int NextRune(ref int i)
    {
        var ch = _s[i];
        if (char.IsHighSurrogate(ch) && i + 1 < _s.Length && char.IsLowSurrogate(_s[i + 1]))
        {
            var r = char.ConvertToUtf32(ch, _s[i + 1]);
            i += 2;
            return r;
        }

        i++;
        return char.IsSurrogate(ch) ? 0xFFFD : ch;
    }

    private void Literal(int c)
    {
        var set = Re2CodeSet.Of(c, c);
        Push(SetNode(_flags.HasFlag(Flags.FoldCase) ? set.FoldClosure() : set));
    }

    private static Re2Node SetNode(Re2CodeSet set) => new(Re2Op.CharSet) { Set = set };

    private void Push(Re2Node node) => Top.Concat.Add(node);

    private sealed class Frame(int cap, Flags savedFlags)
    {
        public int Cap { get; } = cap;

        public Flags SavedFlags { get; } = savedFlags;

        public List<List<Re2Node>> Alternatives { get; } = [];

        public List<Re2Node> Concat { get; set; } = [];

        public Re2Node Build()
        {
            Alternatives.Add(Concat);
            if (Alternatives.Count == 1)
            {
                return Sequence(Concat);
            }

            var alt = new Re2Node(Re2Op.Alternate);
            alt.Subs.AddRange(Alternatives.Select(Sequence));
            return alt;
        }

        private static Re2Node Sequence(List<Re2Node> items)
        {
            if (items.Count == 0)
            {
                return new Re2Node(Re2Op.Empty);
            }

            if (items.Count == 1)
            {
                return items[0];
            }

            var concat = new Re2Node(Re2Op.Concat);
            concat.Subs.AddRange(items);
            return concat;
        }
    }
}

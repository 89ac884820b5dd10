namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>A set of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges (Go's "clean class").</summary>
internal sealed class Re2CodeSet
{
    public const int MaxRune = 0x10FFFF;
    private readonly List<(int Lo, int Hi)> _ranges = [];
    private bool _clean = true;

    public IReadOnlyList<(int Lo, int Hi)> Ranges
    {
        get
        {
            Clean();
            return _ranges;
        }
    }

    public static Re2CodeSet Of(int lo, int hi)
    {
        var set = new Re2CodeSet();
        set.Add(lo, hi);
        return set;
    }

    public void Add(int lo, int hi)
    {
        _ranges.Add((lo, hi));
        _clean = false;
    }

    public void Add(Re2CodeSet other)
    {
        foreach (var r in other.Ranges)
        {
            Add(r.Lo, r.Hi);
        }
    }

    public bool Contains(int c)
    {
        foreach (var (lo, hi) in Ranges)
        {
            if (c < lo)
            {
                return false;
            }

            if (c <= hi)
            {
                return true;
            }
        }

        return false;
    }

    public Re2CodeSet Negate()
    {
        var result = new Re2CodeSet();
        var next = 0;
        foreach (var (lo, hi) in Ranges)
        {
            if (lo > next)
            {
                result.Add(next, lo - 1);
            }

            next = hi + 1;
        }

        if (next <= MaxRune)
        {
            result.Add(next, MaxRune);
        }

        return result;
    }

    /// <summary>Adds every code point whose simple case-folding orbit meets the set (Go's appendFoldedRange).</summary>
    public Re2CodeSet FoldClosure()
    {
        var result = new Re2CodeSet();
        result.Add(this);
        foreach (var orbit in Re2UnicodeData.Orbits)
        {
            foreach (var c in orbit)
            {
                if (Contains(c))
                {
                    foreach (var d in orbit)
                    {
                        result.Add(d, d);
                    }

                    break;
                }
            }
        }

        return result;
    }

    private void Clean()
    {
        if (_clean)
        {
            return;
        }

        _ranges.Sort((a, b) => a.Lo != b.Lo ? a.Lo.CompareTo(b.Lo) : b.Hi.CompareTo(a.Hi));
        var w = 0;
        for (var i = 0; i < _ranges.Count; i++)
        {
            var (lo, hi) = _ranges[i];
            if (w > 0 && lo <= _ranges[w - 1].Hi + 1)
            {
                if (hi > _ranges[w - 1].Hi)
                {
                    _ranges[w - 1] = (_ranges[w - 1].Lo, hi);
                }

                continue;
            }

            _ranges[w++] = (lo, hi);
        }

        _ranges.RemoveRange(w, _ranges.Count - w);
        _clean = true;
    }
}

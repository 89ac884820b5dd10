namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>
/// Restricts an expression to its non-empty matches while keeping its priority order, for the loop iterations Go
/// runs after the first one. Returns <see langword="null"/> for shapes it cannot restrict (the loop then keeps .NET's
/// own empty-iteration rule).
/// </summary>
internal static class Re2NonEmpty
{
    public static Re2Node? Of(Re2Node node)
    {
        if (!node.CanBeEmpty())
        {
            return node;
        }

        if (node.AlwaysEmpty())
        {
            return new Re2Node(Re2Op.NoMatch);
        }

        switch (node.Op)
        {
            case Re2Op.Capture:
                return Of(node.Subs[0]) is { } inner ? With(new Re2Node(Re2Op.Capture) { Cap = node.Cap }, inner) : null;
            case Re2Op.Alternate:
                {
                    var alt = new Re2Node(Re2Op.Alternate);
                    foreach (var sub in node.Subs)
                    {
                        if (Of(sub) is not { } ne)
                        {
                            return null;
                        }

                        alt.Subs.Add(ne);
                    }

                    return alt;
                }

            case Re2Op.Repeat when !node.Subs[0].CanBeEmpty():
                return new Re2Node(Re2Op.Repeat) { Min = Math.Max(node.Min, 1), Max = node.Max, Greedy = node.Greedy, IsCounted = node.IsCounted }.WithSub(node.Subs[0]);
            case Re2Op.Concat:
                return OfConcat(node.Subs, 0);
            default:
                return null;
        }
    }

    // NE(a·rest): a always empty → a·NE(rest); a never empty → a·rest; a = z-repeat from 0 (z never empty) →
    // NE(a)·rest | NE(rest) in a's preference order (its empty choice comes last when greedy, first when lazy).
    private static Re2Node? OfConcat(List<Re2Node> items, int from)
    {
        if (from == items.Count)
        {
            return new Re2Node(Re2Op.NoMatch);
        }

        var head = items[from];
        if (head.AlwaysEmpty())
        {
            return OfConcat(items, from + 1) is { } tail ? Seq(head, tail) : null;
        }

        if (!head.CanBeEmpty())
        {
            return Seq(head, Rest(items, from + 1));
        }

        var inner = head.Op == Re2Op.Capture ? head.Subs[0] : head;
        if (inner.Op != Re2Op.Repeat || inner.Min != 0 || inner.Subs[0].CanBeEmpty() || Of(head) is not { } headNonEmpty
            || OfConcat(items, from + 1) is not { } restNonEmpty)
        {
            return null;
        }

        var emptyHead = head.Op == Re2Op.Capture ? new Re2Node(Re2Op.Capture) { Cap = head.Cap }.WithSub(new Re2Node(Re2Op.Empty)) : new Re2Node(Re2Op.Empty);
        var consuming = Seq(headNonEmpty, Rest(items, from + 1));
        var skipping = Seq(emptyHead, restNonEmpty);
        var alt = new Re2Node(Re2Op.Alternate);
        alt.Subs.Add(inner.Greedy ? consuming : skipping);
        alt.Subs.Add(inner.Greedy ? skipping : consuming);
        return alt;
    }

    private static Re2Node Rest(List<Re2Node> items, int from)
    {
        var concat = new Re2Node(Re2Op.Concat);
        concat.Subs.AddRange(items.Skip(from));
        return concat;
    }

    private static Re2Node Seq(Re2Node a, Re2Node b)
    {
        var concat = new Re2Node(Re2Op.Concat);
        concat.Subs.Add(a);
        concat.Subs.Add(b);
        return concat;
    }

    private static Re2Node With(Re2Node parent, Re2Node sub) => parent.WithSub(sub);

    private static Re2Node WithSub(this Re2Node parent, Re2Node sub)
    {
        parent.Subs.Add(sub);
        return parent;
    }
}

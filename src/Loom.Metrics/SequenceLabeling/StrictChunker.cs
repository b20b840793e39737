// Reference implementation followed: seqeval 1.2.2 seqeval/scheme.py (Token subclasses, Tokens, Entities, auto_detect).
namespace Loom.Metrics.SequenceLabeling;

/// <summary>
/// seqeval's strict-mode chunking (<c>seqeval/scheme.py</c>, 1.2.2: <c>Token</c> subclasses with start / inside /
/// end patterns, <c>Tokens.entities</c>): only chunks that are well formed under the given scheme count, and a tag
/// whose prefix the scheme does not allow raises. Each pattern is (previous prefix, current prefix, type condition).
/// </summary>
public static class StrictChunker
{
    [Flags]
    private enum Prefix
    {
        None = 0,
        I = 1,
        O = 2,
        B = 4,
        E = 8,
        S = 16,
        U = 32,
        L = 64,
        Any = I | O | B | E | S | U | L,
    }

    private enum TypeCondition
    {
        Same,
        Different,
        Any,
    }

    private readonly record struct Pattern(Prefix Previous, Prefix Current, TypeCondition Condition);

    private sealed record SchemeRules(Prefix Allowed, string AllowedText, Pattern[] Start, Pattern[] Inside, Pattern[] End);

    private readonly record struct Token(string Text, Prefix Prefix, string Type);

    private static readonly Dictionary<TaggingScheme, SchemeRules> Rules = new()
    {
        [TaggingScheme.Iob1] = new(Prefix.I | Prefix.O | Prefix.B, "I|O|B",
            [P(Prefix.O, Prefix.I, TypeCondition.Any), P(Prefix.I, Prefix.I, TypeCondition.Different),
             P(Prefix.B, Prefix.I, TypeCondition.Any), P(Prefix.I, Prefix.B, TypeCondition.Same),
             P(Prefix.B, Prefix.B, TypeCondition.Same)],
            [P(Prefix.B, Prefix.I, TypeCondition.Same), P(Prefix.I, Prefix.I, TypeCondition.Same)],
            [P(Prefix.I, Prefix.I, TypeCondition.Different), P(Prefix.I, Prefix.O, TypeCondition.Any),
             P(Prefix.I, Prefix.B, TypeCondition.Any), P(Prefix.B, Prefix.O, TypeCondition.Any),
             P(Prefix.B, Prefix.I, TypeCondition.Different), P(Prefix.B, Prefix.B, TypeCondition.Same)]),
        [TaggingScheme.Ioe1] = new(Prefix.I | Prefix.O | Prefix.E, "I|O|E",
            [P(Prefix.O, Prefix.I, TypeCondition.Any), P(Prefix.I, Prefix.I, TypeCondition.Different),
             P(Prefix.E, Prefix.I, TypeCondition.Any), P(Prefix.E, Prefix.E, TypeCondition.Same)],
            [P(Prefix.I, Prefix.I, TypeCondition.Same), P(Prefix.I, Prefix.E, TypeCondition.Same)],
            [P(Prefix.I, Prefix.I, TypeCondition.Different), P(Prefix.I, Prefix.O, TypeCondition.Any),
             P(Prefix.I, Prefix.E, TypeCondition.Different), P(Prefix.E, Prefix.I, TypeCondition.Same),
             P(Prefix.E, Prefix.E, TypeCondition.Same)]),
        [TaggingScheme.Iob2] = new(Prefix.I | Prefix.O | Prefix.B, "I|O|B",
            [P(Prefix.Any, Prefix.B, TypeCondition.Any)],
            [P(Prefix.B, Prefix.I, TypeCondition.Same), P(Prefix.I, Prefix.I, TypeCondition.Same)],
            [P(Prefix.I, Prefix.O, TypeCondition.Any), P(Prefix.I, Prefix.I, TypeCondition.Different),
             P(Prefix.I, Prefix.B, TypeCondition.Any), P(Prefix.B, Prefix.O, TypeCondition.Any),
             P(Prefix.B, Prefix.I, TypeCondition.Different), P(Prefix.B, Prefix.B, TypeCondition.Any)]),
        [TaggingScheme.Ioe2] = new(Prefix.I | Prefix.O | Prefix.E, "I|O|E",
            [P(Prefix.O, Prefix.I, TypeCondition.Any), P(Prefix.O, Prefix.E, TypeCondition.Any),
             P(Prefix.E, Prefix.I, TypeCondition.Any), P(Prefix.E, Prefix.E, TypeCondition.Any),
             P(Prefix.I, Prefix.I, TypeCondition.Different), P(Prefix.I, Prefix.E, TypeCondition.Different)],
            [P(Prefix.I, Prefix.E, TypeCondition.Same), P(Prefix.I, Prefix.I, TypeCondition.Same)],
            [P(Prefix.E, Prefix.Any, TypeCondition.Any)]),
        [TaggingScheme.Iobes] = new(Prefix.I | Prefix.O | Prefix.B | Prefix.E | Prefix.S, "I|O|B|E|S",
            [P(Prefix.Any, Prefix.B, TypeCondition.Any), P(Prefix.Any, Prefix.S, TypeCondition.Any)],
            [P(Prefix.B, Prefix.I, TypeCondition.Same), P(Prefix.B, Prefix.E, TypeCondition.Same),
             P(Prefix.I, Prefix.I, TypeCondition.Same), P(Prefix.I, Prefix.E, TypeCondition.Same)],
            [P(Prefix.S, Prefix.Any, TypeCondition.Any), P(Prefix.E, Prefix.Any, TypeCondition.Any)]),
        [TaggingScheme.Bilou] = new(Prefix.B | Prefix.I | Prefix.L | Prefix.O | Prefix.U, "I|O|B|U|L",
            [P(Prefix.Any, Prefix.B, TypeCondition.Any), P(Prefix.Any, Prefix.U, TypeCondition.Any)],
            [P(Prefix.B, Prefix.I, TypeCondition.Same), P(Prefix.B, Prefix.L, TypeCondition.Same),
             P(Prefix.I, Prefix.I, TypeCondition.Same), P(Prefix.I, Prefix.L, TypeCondition.Same)],
            [P(Prefix.U, Prefix.Any, TypeCondition.Any), P(Prefix.L, Prefix.Any, TypeCondition.Any)]),
    };

    private static Pattern P(Prefix previous, Prefix current, TypeCondition condition) => new(previous, current, condition);

    /// <summary>Well-formed chunks of every sentence (<see cref="LabeledEntity.End"/> exclusive).</summary>
    public static List<LabeledEntity> GetEntities(IReadOnlyList<IReadOnlyList<string>> sentences, TaggingScheme scheme,
        bool suffix = false)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var rules = Rules[scheme];
        var entities = new List<LabeledEntity>();
        for (var s = 0; s < sentences.Count; s++)
        {
            var tokens = sentences[s].Select(t => Parse(t, suffix)).Append(Parse("O", suffix)).ToArray();
            var outside = tokens[^1];
            var i = 0;
            var previous = outside;
            while (i < tokens.Length)
            {
                var token = tokens[i];
                if ((token.Prefix & rules.Allowed) == 0)
                {
                    throw new MetricException(
                        $"Invalid token is found: {token.Text}. Allowed prefixes are: {rules.AllowedText}. (sentence {s}, position {i}, scheme {scheme})");
                }

                if (Matches(rules.Start, previous, token))
                {
                    var end = Forward(tokens, i + 1, token, rules);
                    if (Matches(rules.End, tokens[end - 1], tokens[end]))
                    {
                        entities.Add(new LabeledEntity(s, token.Type, i, end));
                    }

                    i = end;
                }
                else
                {
                    i++;
                }

                previous = tokens[i - 1];
            }
        }

        return entities;
    }

    /// <summary>
    /// seqeval's <c>auto_detect</c>: the scheme implied by the set of prefixes in <paramref name="sentences"/>
    /// (IOB2, IOE2, IOBES or BILOU); throws when the set fits none of them.
    /// </summary>
    public static TaggingScheme AutoDetect(IReadOnlyList<IReadOnlyList<string>> sentences, bool suffix = false)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var prefixes = Prefix.None;
        foreach (var sentence in sentences)
        {
            foreach (var tag in sentence)
            {
                prefixes |= Parse(tag, suffix).Prefix;
            }
        }

        const Prefix I = Prefix.I, O = Prefix.O, B = Prefix.B, E = Prefix.E, S = Prefix.S, U = Prefix.U, L = Prefix.L;
        if (prefixes is (I | O | B) or (I | B) or (B | O) or B)
        {
            return TaggingScheme.Iob2;
        }

        if (prefixes is (I | O | E) or (I | E) or (E | O) or E)
        {
            return TaggingScheme.Ioe2;
        }

        if (prefixes is (I | O | B | E | S) or (I | B | E | S) or (I | O | B | E) or (O | B | E | S) or (I | B | E)
            or (B | E | S) or (O | B | E) or (B | E) or S)
        {
            return TaggingScheme.Iobes;
        }

        if (prefixes is (I | O | B | L | U) or (I | B | L | U) or (I | O | B | L) or (O | B | L | U) or (I | B | L)
            or (B | L | U) or (O | B | L) or (B | L) or U)
        {
            return TaggingScheme.Bilou;
        }

        throw new MetricException($"This scheme is not supported: the tags use the prefixes {{{prefixes}}}, which fit none of IOB2, IOE2, IOBES, BILOU.");
    }

    private static bool Matches(Pattern[] patterns, Token previous, Token current)
    {
        foreach (var pattern in patterns)
        {
            if ((previous.Prefix & pattern.Previous) != 0 && (current.Prefix & pattern.Current) != 0
                && pattern.Condition switch
                {
                    TypeCondition.Any => true,
                    TypeCondition.Same => previous.Type == current.Type,
                    _ => previous.Type != current.Type,
                })
            {
                return true;
            }
        }

        return false;
    }

    private static int Forward(Token[] tokens, int start, Token previous, SchemeRules rules)
    {
        for (var i = start; i < tokens.Length; i++)
        {
            if (!Matches(rules.Inside, previous, tokens[i]))
            {
                return i;
            }

            previous = tokens[i];
        }

        return tokens.Length - 2;
    }

    private static Token Parse(string text, bool suffix)
    {
        if (text.Length == 0)
        {
            throw new MetricException("Empty tag: expected a tag such as 'B-PER' or 'O' (seqeval raises IndexError).");
        }

        var letter = suffix ? text[^1] : text[0];
        var prefix = letter switch
        {
            'I' => Prefix.I,
            'O' => Prefix.O,
            'B' => Prefix.B,
            'E' => Prefix.E,
            'S' => Prefix.S,
            'U' => Prefix.U,
            'L' => Prefix.L,
            _ => throw new MetricException(
                $"Tag '{text}' has prefix '{letter}': expected one of I, O, B, E, S, U, L (seqeval raises KeyError)."),
        };
        var type = (suffix ? text[..^1] : text[1..]).Trim('-');
        return new Token(text, prefix, type.Length > 0 ? type : "_");
    }
}

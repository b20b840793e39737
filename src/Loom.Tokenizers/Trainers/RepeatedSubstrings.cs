// Repeated substrings of a text as the internal nodes of its suffix tree, found from a suffix array and its LCP
// array (Kasai et al. 2001 for the LCP; the bottom-up lcp-interval traversal of Abouelhoda, Kurtz & Ohlebusch 2004).
// This is what the esaxx library (Okanohara) gives sentencepiece's and Hugging Face's Unigram trainers as seed
// pieces: every substring that occurs at least twice and is followed by at least two different characters (or is a
// suffix), with its number of occurrences. The suffix array is built by prefix doubling over integer ranks.
namespace Loom.Tokenizers.Trainers;

/// <summary>Enumerates the right-branching repeated substrings of a code-point sequence.</summary>
internal static class RepeatedSubstrings
{
    /// <summary>The suffix array of <paramref name="text"/> (start positions of the suffixes in lexicographic order).</summary>
    public static int[] SuffixArray(int[] text)
    {
        int n = text.Length;
        if (n == 0)
        {
            return [];
        }

        var sa = new int[n];
        var rank = new int[n];
        var keys = new long[n];
        var next = new int[n];
        for (int i = 0; i < n; i++)
        {
            sa[i] = i;
            rank[i] = text[i];
        }

        for (int k = 1; ; k <<= 1)
        {
            // Sort by (rank[i], rank[i + k]), a missing second half first.
            for (int i = 0; i < n; i++)
            {
                sa[i] = i;
                keys[i] = ((long)rank[i] << 32) | (uint)(i + k < n ? rank[i + k] + 1 : 0);
            }

            Array.Sort(keys, sa);
            next[sa[0]] = 0;
            for (int i = 1; i < n; i++)
            {
                next[sa[i]] = next[sa[i - 1]] + (keys[i] != keys[i - 1] ? 1 : 0);
            }

            (rank, next) = (next, rank);
            if (rank[sa[n - 1]] == n - 1 || k >= n)
            {
                return sa;
            }
        }
    }

    /// <summary>lcp[i] = length of the common prefix of the suffixes sa[i - 1] and sa[i] (lcp[0] = 0).</summary>
    public static int[] LongestCommonPrefixes(int[] text, int[] sa)
    {
        int n = text.Length;
        var inverse = new int[n];
        for (int i = 0; i < n; i++)
        {
            inverse[sa[i]] = i;
        }

        var lcp = new int[n];
        int h = 0;
        for (int i = 0; i < n; i++)
        {
            if (inverse[i] == 0)
            {
                h = 0;
                continue;
            }

            int j = sa[inverse[i] - 1];
            while (i + h < n && j + h < n && text[i + h] == text[j + h])
            {
                h++;
            }

            lcp[inverse[i]] = h;
            if (h > 0)
            {
                h--;
            }
        }

        return lcp;
    }

    /// <summary>
    /// Every internal suffix-tree node of <paramref name="text"/> of depth ≥ 1 as (offset, length, occurrences): the
    /// substring text[offset..offset + length] occurs <c>occurrences</c> ≥ 2 times.
    /// </summary>
    public static List<(int Offset, int Length, int Occurrences)> Enumerate(int[] text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<(int, int, int)>();
        int n = text.Length;
        if (n < 2)
        {
            return result;
        }

        var sa = SuffixArray(text);
        var lcp = LongestCommonPrefixes(text, sa);

        // Stack of open lcp-intervals (depth, left bound); an interval [left, i) closes when a smaller lcp arrives.
        var stack = new Stack<(int Depth, int Left)>();
        stack.Push((0, 0));
        for (int i = 1; i <= n; i++)
        {
            int current = i < n ? lcp[i] : 0;
            int left = i - 1;
            while (stack.Peek().Depth > current)
            {
                var (depth, l) = stack.Pop();
                left = l;
                result.Add((sa[l], depth, i - l));
            }

            if (stack.Peek().Depth < current)
            {
                stack.Push((current, left));
            }
        }

        return result;
    }
}

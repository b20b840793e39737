using Loom.Metrics.Text;

namespace Loom.Metrics.Tests;

/// <summary>
/// The NLTK word tokenizer and the Punkt-like sentence splitter against the examples published in NLTK's own
/// docstrings (nltk/tokenize/destructive.py, treebank.py, nltk/tokenize/__init__.py, nltk/tokenize/punkt.py).
/// </summary>
public class WordTokenizerTests
{
    [Fact]
    public void NltkWordTokenizerDocstringExample()
    {
        const string text = "Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of them.\nThanks.";
        string[] expected =
        [
            "Good", "muffins", "cost", "$", "3.88", "(", "roughly", "3,36", "euros", ")", "in", "New", "York.",
            "Please", "buy", "me", "two", "of", "them.", "Thanks", ".",
        ];
        Assert.Equal(expected, TreebankWordTokenizer.Tokenize(text));
    }

    [Theory]
    [InlineData("They'll save and invest more.", "They|'ll|save|and|invest|more|.")]
    [InlineData("hi, my name can't hello,", "hi|,|my|name|ca|n't|hello|,")]
    public void TreebankDocstringContractions(string text, string expected) =>
        Assert.Equal(expected.Split('|'), TreebankWordTokenizer.Tokenize(text));

    [Fact]
    public void WordTokenizeDocstringExampleSplitsSentencesFirst()
    {
        const string text = "Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\n\nThanks.";
        string[] expected =
        [
            "Good", "muffins", "cost", "$", "3.88", "in", "New", "York", ".", "Please", "buy", "me", "two", "of",
            "them", ".", "Thanks", ".",
        ];
        Assert.Equal(expected, TreebankWordTokenizer.WordTokenize(text));
    }

    [Fact]
    public void PunktDocstringExamples()
    {
        const string first = "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.  " +
                             "And sometimes sentences\ncan start with non-capitalized words.  i is a good variable\nname.";
        Assert.Equal(
            [
                "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.",
                "And sometimes sentences\ncan start with non-capitalized words.",
                "i is a good variable\nname.",
            ],
            PunktLikeSentenceSplitter.Split(first));

        const string second = "(How does it deal with this parenthesis?)  \"It should be part of the\nprevious sentence.\" " +
                              "\"(And the same with this one.)\" ('And this one!')\n\"('(And (this)) '?)\" [(and this. )]";
        Assert.Equal(
            [
                "(How does it deal with this parenthesis?)",
                "\"It should be part of the\nprevious sentence.\"",
                "\"(And the same with this one.)\"",
                "('And this one!')",
                "\"('(And (this)) '?)\"",
                "[(and this. )]",
            ],
            PunktLikeSentenceSplitter.Split(second));
    }
}

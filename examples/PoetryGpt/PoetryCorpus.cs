// The corpus of the example: Tang poems from chinese-poetry/chinese-poetry (MIT), one poem per document, poems
// separated by a blank line so the model learns where a poem ends. The split is by poem, so no validation line was
// ever seen in training.
using Loom.Training.Data;

namespace Loom.Examples.PoetryGpt;

/// <summary>Training and validation text of the poetry example, with its character vocabulary.</summary>
public sealed class PoetryCorpus
{
    /// <summary>The chinese-poetry files read, relative to <c>shared/data</c>.</summary>
    public static readonly IReadOnlyList<string> Files = ["chinese_poetry/poet.tang.0.json", "chinese_poetry/tangshi300.json"];

    private const string PoemSeparator = "\n\n";

    private PoetryCorpus(IReadOnlyList<Poem> train, IReadOnlyList<Poem> validation)
    {
        TrainPoems = train;
        ValidationPoems = validation;
        var trainText = string.Join(PoemSeparator, train.Select(p => p.Text)) + PoemSeparator;
        var validationText = string.Join(PoemSeparator, validation.Select(p => p.Text)) + PoemSeparator;
        // The vocabulary covers both sides so that a character seen only in validation still has an id (it simply has
        // an untrained embedding), exactly as nanoGPT builds its vocabulary from the whole text.
        Vocabulary = CharacterVocabulary.FromText(trainText + validationText);
        TrainIds = Vocabulary.Encode(trainText);
        ValidationIds = Vocabulary.Encode(validationText);
    }

    /// <summary>Poems used for training.</summary>
    public IReadOnlyList<Poem> TrainPoems { get; }

    /// <summary>Held-out poems.</summary>
    public IReadOnlyList<Poem> ValidationPoems { get; }

    /// <summary>Characters of both splits, sorted by code point.</summary>
    public CharacterVocabulary Vocabulary { get; }

    /// <summary>The training poems as one character-id stream.</summary>
    public int[] TrainIds { get; }

    /// <summary>The validation poems as one character-id stream.</summary>
    public int[] ValidationIds { get; }

    /// <summary>Reads <see cref="Files"/> from shared/data and holds out <paramref name="validationFraction"/> of the poems.</summary>
    public static PoetryCorpus Load(double validationFraction, ulong seed)
    {
        var poems = Files.SelectMany(f => PoetryReader.Read(SharedData.Require(f))).Where(p => p.Paragraphs.Count > 0).ToList();
        var (train, validation) = DataSplit.TrainValidation(poems, validationFraction, seed);
        return new PoetryCorpus(train, validation);
    }
}

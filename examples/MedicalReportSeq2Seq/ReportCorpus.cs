// GAIIC 2023 track 1 (LZ-CH/GAIIC2023; shared only): CT descriptions → diagnoses, every character anonymised into an
// integer. The labelled files (valid_split.csv, semi_valid_split.csv) are pooled and split once into training and
// held-out reports. Tokenisation uses the integer-id table strategy of Loom.Tokenizers (IntegerIdModel): the
// numbers seen in the training reports get ids after four special tokens, and a number first met in a held-out report
// becomes <unk> — the model never learns anything from held-out text, not even its vocabulary.
using Loom.Tokenizers.Models;
using Loom.Training.Data;

namespace Loom.Examples.MedicalReportSeq2Seq;

/// <summary>The split reports and their integer-id tokenizer.</summary>
public sealed class ReportCorpus
{
    /// <summary>The labelled GAIIC files read, relative to <c>shared/data</c>.</summary>
    public static readonly IReadOnlyList<string> Files = ["gaiic2023_medical_report/valid_split.csv", "gaiic2023_medical_report/semi_valid_split.csv"];

    /// <summary>Padding id.</summary>
    public const int PadId = 0;

    /// <summary>Start of an encoder input.</summary>
    public const int BosId = 1;

    /// <summary>End of a sequence; also the decoder start token, as in BART.</summary>
    public const int EosId = 2;

    private ReportCorpus(IReadOnlyList<MedicalReport> train, IReadOnlyList<MedicalReport> test)
    {
        (TrainReports, TestReports) = (train, test);
        var numbers = train.SelectMany(r => r.Description.Concat(r.Diagnosis)).Distinct().Order().Select(n => (long)n);
        Vocabulary = new IntegerIdModel(["<pad>", "<s>", "</s>", "<unk>"], direct: false, numbers, policy: UnseenIdPolicy.MapToUnknown, unkToken: "<unk>");
    }

    /// <summary>Reports the model trains on.</summary>
    public IReadOnlyList<MedicalReport> TrainReports { get; }

    /// <summary>Held-out reports, scored with CIDEr-D at the end.</summary>
    public IReadOnlyList<MedicalReport> TestReports { get; }

    /// <summary>Number → id table built from the training reports.</summary>
    public IntegerIdModel Vocabulary { get; }

    /// <summary>Reads and splits the labelled files (throws <see cref="FileNotFoundException"/> naming a missing one).</summary>
    public static ReportCorpus Load(double testFraction, ulong seed)
    {
        var reports = Files.SelectMany(f => GaiicReportReader.Read(SharedData.Require(f))).Where(r => r.Diagnosis.Length > 0).ToList();
        var (train, test) = DataSplit.TrainValidation(reports, testFraction, seed);
        return new ReportCorpus(train, test);
    }

    /// <summary>Token ids of anonymised text (numbers) through the integer-id model.</summary>
    public int[] Encode(IEnumerable<int> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var tokens = new List<Loom.Tokenizers.Token>();
        foreach (var number in numbers)
        {
            Vocabulary.Tokenize(number.ToString(System.Globalization.CultureInfo.InvariantCulture), tokens);
        }

        return [.. tokens.Select(t => t.Id)];
    }

    /// <summary>The anonymised text of <paramref name="ids"/> (space-separated numbers), special tokens dropped.</summary>
    public string Decode(IEnumerable<int> ids) =>
        string.Join(' ', ids.Where(id => id > EosId).Select(id => Vocabulary.IdToToken(id)));
}

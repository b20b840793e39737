using Loom.Metrics.Qa;
using Loom.Training.Data;
using Loom.Training.Recipes;

namespace Loom.Training.Tests.Recipes;

/// <summary>
/// Passages longer than block_size in extractive QA (HF run_qa.py semantics): overlapping windows with doc_stride, the
/// answer labelled in the windows that hold it and [CLS] elsewhere, and the prediction chosen over all windows and mapped
/// back to the exact context text, scored with the CMRC 2018 evaluator.
/// </summary>
public sealed class QaWindowsTests
{
    // 60 characters; the answer 北京 sits at characters 45–46, far past the first window.
    private const string Context = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南西上下左右前后北京水火土天地人和日月星风云雨";
    private const string Question = "住在哪里？问";
    private const int AnswerStart = 45;

    private static readonly TokenVocabulary Vocabulary = TokenVocabulary.FromTexts(BertFinetuning.SpecialTokens, [Context, Question]);

    private static QaExample Example(string id = "q") => new(id, Context, Question, ["北京"], [AnswerStart]);

    [Fact]
    public void A_long_passage_becomes_overlapping_windows_and_only_windows_holding_the_answer_point_at_it()
    {
        Assert.Equal("北京", Context.Substring(AnswerStart, 2));
        // block 32: room for 32 − 3 − 6 = 23 passage tokens; windows start every 23 − 8 = 15 tokens until one reaches the end.
        var windows = QaWindows.Split(Example(), Vocabulary, maxLength: 32, docStride: 8);
        Assert.Equal(4, windows.Count);
        int[] firsts = [0, 15, 30, 45];
        for (var w = 0; w < windows.Count; w++)
        {
            var window = windows[w];
            var length = Math.Min(23, Context.Length - firsts[w]);
            Assert.Equal(8, window.PieceStart); // [CLS] + 6 question tokens + [SEP]
            Assert.Equal("[CLS]" + Question + "[SEP]" + Context.Substring(firsts[w], length) + "[SEP]", Vocabulary.Decode(window.Ids));
            Assert.Equal([.. Enumerable.Repeat(0, 8), .. Enumerable.Repeat(1, length + 1)], window.TypeIds);
            Assert.Equal((firsts[w], firsts[w] + 1), window.Offsets[0]);
        }

        Assert.Equal(23 - 8, 30 - 15); // consecutive pieces share doc_stride tokens
        Assert.Equal((0, 0), (windows[0].Start, windows[0].End)); // [CLS]: the answer lies beyond the piece
        Assert.Equal((0, 0), (windows[1].Start, windows[1].End));
        Assert.Equal((8 + 15, 8 + 16), (windows[2].Start, windows[2].End)); // characters 45–46 of the piece starting at 30
        Assert.Equal((8, 9), (windows[3].Start, windows[3].End));
        Assert.Equal("北京", Vocabulary.Decode(windows[2].Ids[windows[2].Start..(windows[2].End + 1)]));
    }

    [Fact]
    public void An_answer_cut_by_the_window_edge_points_at_cls()
    {
        // Windows of 23 start at 0, 15, 30: with the answer at characters 37–38, the piece [15, 38) holds 37 but not 38.
        var example = new QaExample("edge", Context, Question, [Context.Substring(37, 2)], [37]);
        var windows = QaWindows.Split(example, Vocabulary, maxLength: 32, docStride: 8);
        Assert.Equal((0, 0), (windows[1].Start, windows[1].End));
        Assert.Equal((8 + 7, 8 + 8), (windows[2].Start, windows[2].End));
    }

    [Fact]
    public void The_best_span_over_all_windows_maps_back_to_the_exact_answer_text()
    {
        var windows = QaWindows.Split(Example(), Vocabulary, maxLength: 32, docStride: 8);
        var scored = windows.Select(w => (w, Logits(w.Ids.Length + 4), Logits(w.Ids.Length + 4))).ToList(); // padded rows
        // Window 0 prefers [CLS] and the question (never an answer) and a weaker passage span; window 3 holds the best span.
        (scored[0].Item2[0], scored[0].Item3[0], scored[0].Item2[3], scored[0].Item3[4]) = (50f, 50f, 40f, 40f);
        (scored[0].Item2[10], scored[0].Item3[12]) = (6f, 6f);
        (scored[3].Item2[8], scored[3].Item3[9]) = (7f, 7f);
        // A higher-scoring span in window 1 that is too long for max_answer_length 4.
        (scored[1].Item2[8], scored[1].Item3[8 + 10]) = (9f, 9f);

        var predicted = QaWindows.BestAnswer(scored, maxAnswerLength: 4, nBest: 20);

        Assert.Equal("北京", predicted);
        Assert.Equal(Context.Substring(15, 11), QaWindows.BestAnswer(scored, maxAnswerLength: 11, nBest: 20)); // the long span wins once allowed
        Assert.Equal(Context.Substring(2, 3), QaWindows.BestAnswer([scored[0]], maxAnswerLength: 4, nBest: 20)); // window 0 alone: its passage span
        var score = Cmrc2018Evaluator.Evaluate([new QaQuestion("q", ["北京"])], new Dictionary<string, string> { ["q"] = predicted });
        Assert.Equal((100d, 100d), (score.ExactMatch, score.F1));
    }

    [Fact]
    public void N_best_limits_the_candidates_to_the_top_start_and_end_logits_of_each_window()
    {
        var window = QaWindows.Split(Example(), Vocabulary, maxLength: 32, docStride: 8)[3];
        var (starts, ends) = (Logits(window.Ids.Length), Logits(window.Ids.Length));
        (starts[0], ends[0]) = (30f, 30f); // [CLS] takes the only slot of n_best 1
        (starts[8], ends[9]) = (7f, 7f);
        Assert.Equal(string.Empty, QaWindows.BestAnswer([(window, starts, ends)], maxAnswerLength: 4, nBest: 1));
        Assert.Equal("北京", QaWindows.BestAnswer([(window, starts, ends)], maxAnswerLength: 4, nBest: 2));
    }

    [Fact]
    public void A_doc_stride_that_leaves_no_room_to_advance_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => QaWindows.Split(Example(), Vocabulary, maxLength: 32, docStride: 23));
        Assert.StartsWith("Setting 'doc_stride': expected in [0, 23)", error.Message, StringComparison.Ordinal);
        Assert.Single(QaWindows.Split(new QaExample("short", "北京", Question, ["北京"], [0]), Vocabulary, 32, 8));
    }

    // Small distinct logits so that only the planted values decide.
    private static float[] Logits(int length) => [.. Enumerable.Range(0, length).Select(i => (i % 7) * 0.01f)];
}

// Long passages for extractive QA, the way Hugging Face's run_qa.py handles them (prepare_train_features,
// prepare_validation_features, postprocess_qa_predictions): a question whose passage does not fit max_length is split
// into several windows [CLS] question [SEP] passage piece [SEP], each piece as long as room allows and overlapping the
// previous one by doc_stride tokens (the tokenizer's return_overflowing_tokens with stride). A window whose piece holds
// the whole first answer is labelled with the answer's first and last token; any other window points at [CLS] (0, 0).
// At evaluation every window proposes the n_best highest start and end logits; a pair inside the piece, end ≥ start and
// at most max_answer_length tokens long scores start + end logit, and the best pair over all windows of the question,
// mapped back to the context through the token offsets, is the predicted text.
using Loom.Training.Data;

namespace Loom.Training.Recipes;

/// <summary>One window of a question: ids and token types, the target span, where the passage piece starts and its offsets.</summary>
/// <param name="Source">The question.</param>
/// <param name="Ids">[CLS] question [SEP] piece [SEP].</param>
/// <param name="TypeIds">0 up to the first [SEP], 1 after.</param>
/// <param name="Start">The answer's first token in <paramref name="Ids"/>, or 0 ([CLS]) when the piece does not hold the whole answer.</param>
/// <param name="End">The answer's last token in <paramref name="Ids"/>, or 0.</param>
/// <param name="PieceStart">Index in <paramref name="Ids"/> of the piece's first token.</param>
/// <param name="Offsets">Character span in the context of each token of the piece.</param>
public sealed record QaWindow(QaExample Source, int[] Ids, int[] TypeIds, int Start, int End, int PieceStart, (int Start, int End)[] Offsets);

/// <summary>Splitting questions into windows and choosing the answer over them.</summary>
public static class QaWindows
{
    /// <summary>
    /// The windows of <paramref name="example"/> in passage order: the question is cut to at most (max_length − 3) / 2
    /// tokens; pieces of max_length − 3 − question tokens start every piece − <paramref name="docStride"/> tokens until one
    /// reaches the end of the passage. Throws when <paramref name="docStride"/> leaves no room to advance.
    /// </summary>
    public static IReadOnlyList<QaWindow> Split(QaExample example, TokenVocabulary vocabulary, int maxLength, int docStride)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var unknown = vocabulary.Id("[UNK]");
        var question = vocabulary.Encode(example.Question, unknown).Ids;
        question = question[..Math.Min(question.Length, (maxLength - 3) / 2)];
        var (passage, offsets) = vocabulary.Encode(example.Context, unknown);
        var room = maxLength - 3 - question.Length;
        if (docStride < 0 || docStride >= room)
        {
            throw new ArgumentException($"Setting 'doc_stride': expected in [0, {room}) for block_size {maxLength} and a question of {question.Length} tokens; found {docStride}.");
        }

        var (answerStart, answerEnd) = example.Answers.Count > 0 && example.AnswerStarts.Count > 0
            ? (example.AnswerStarts[0], example.AnswerStarts[0] + example.Answers[0].Length) : (-1, -1);
        var windows = new List<QaWindow>();
        for (var first = 0; ; first += room - docStride)
        {
            var length = Math.Min(room, passage.Length - first);
            windows.Add(Window(example, vocabulary, question, passage.AsSpan(first, length), offsets[first..(first + length)], answerStart, answerEnd));
            if (first + length >= passage.Length)
            {
                return windows;
            }
        }
    }

    /// <summary>
    /// The predicted answer text of one question from the start and end logits of each of its windows (each as long as
    /// the window's ids, or longer with padding): the best-scoring valid span among the <paramref name="nBest"/> top start
    /// and end positions of every window, or "" when no window proposes one.
    /// </summary>
    public static string BestAnswer(IReadOnlyList<(QaWindow Window, float[] StartLogits, float[] EndLogits)> windows, int maxAnswerLength, int nBest)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var (best, answer) = (float.NegativeInfinity, string.Empty);
        foreach (var (window, startLogits, endLogits) in windows)
        {
            var (pieceStart, pieceEnd) = (window.PieceStart, window.PieceStart + window.Offsets.Length); // [pieceStart, pieceEnd)
            var ends = Top(endLogits, window.Ids.Length, nBest);
            foreach (var s in Top(startLogits, window.Ids.Length, nBest))
            {
                foreach (var e in ends)
                {
                    var valid = s >= pieceStart && e < pieceEnd && s <= e && e - s + 1 <= maxAnswerLength;
                    var score = startLogits[s] + endLogits[e];
                    if (valid && score > best)
                    {
                        best = score;
                        answer = window.Source.Context[window.Offsets[s - pieceStart].Start..window.Offsets[e - pieceStart].End];
                    }
                }
            }
        }

        return answer;
    }

    private static QaWindow Window(QaExample example, TokenVocabulary vocabulary, int[] question, ReadOnlySpan<int> piece, (int Start, int End)[] offsets,
        int answerStart, int answerEnd)
    {
        var pieceStart = question.Length + 2;
        var (start, end) = (0, 0);
        if (answerStart >= 0 && offsets.Length > 0 && offsets[0].Start <= answerStart && answerEnd <= offsets[^1].End)
        {
            var s = Array.FindIndex(offsets, o => answerStart < o.End);
            var e = Array.FindLastIndex(offsets, o => o.Start < answerEnd);
            (start, end) = (pieceStart + s, pieceStart + e);
        }

        int[] ids = [vocabulary.Id("[CLS]"), .. question, vocabulary.Id("[SEP]"), .. piece, vocabulary.Id("[SEP]")];
        int[] types = [.. Enumerable.Repeat(0, pieceStart), .. Enumerable.Repeat(1, piece.Length + 1)];
        return new QaWindow(example, ids, types, start, end, pieceStart, offsets);
    }

    // The positions of the count largest of the first length logits, largest first (the first position on ties).
    private static int[] Top(float[] logits, int length, int count) =>
        [.. Enumerable.Range(0, Math.Min(length, logits.Length)).OrderByDescending(i => logits[i]).ThenBy(i => i).Take(count)];
}

// The generation layer over the from-scratch models (the configurable Transformer, decoder-only and encoder-decoder,
// under every position scheme; the LSTM seq2seq baseline): cached greedy decoding of a padded batch equals the arg-max
// of a full recomputation of each row alone (with growing and with fixed-size KV caches), and beam search with
// num_beams = V finds the exhaustive best two-token continuations, which exercises the reordering of the caches (KV or
// LSTM state).
using Loom.Core;
using Loom.Models.Rnn;
using Loom.Models.Transformer;
using Loom.Nn;

namespace Loom.Generation.Tests;

public sealed class FromScratchGenerationTests
{
    private const int Vocab = 17;
    private const int StartId = 1;
    private static readonly int[][] Prompts = [[3, 9, 4, 1, 12], [5, 7]];

    public static TheoryData<PositionKind> PositionKinds() => [.. Enum.GetValues<PositionKind>()];

    [Theory]
    [MemberData(nameof(PositionKinds))]
    public void Decoder_only_greedy_on_a_left_padded_batch_equals_argmax_over_full_recomputation(PositionKind positions)
    {
        var model = new TransformerCausalLm(Transformer(TransformerKind.DecoderOnly, positions, seed: 21));
        var options = new GenerationOptions { MaxNewTokens = 8 };
        var result = new TextGenerator(model).Generate(PromptBatch.LeftPad(Prompts, 0), options);
        Assert.Equal(result.GeneratedOnly, new TextGenerator(model).Generate(PromptBatch.LeftPad(Prompts, 0), options with { FixedKvCache = true }).GeneratedOnly);
        for (var row = 0; row < Prompts.Length; row++)
        {
            var prompt = Prompts[row];
            Assert.Equal(GreedyByRecomputation(generated => model.Forward(Row([.. prompt, .. generated])).Logits, 8), result.GeneratedOnly[row]);
        }
    }

    [Theory]
    [MemberData(nameof(PositionKinds))]
    public void Encoder_decoder_greedy_on_a_padded_batch_equals_argmax_over_full_recomputation(PositionKind positions)
    {
        var model = Transformer(TransformerKind.EncoderDecoder, positions, seed: 22);
        var generator = new TextGenerator(new Seq2SeqStepDecoder(new TransformerSeq2SeqLm(model)));
        var options = new GenerationOptions { MaxNewTokens = 8 };
        var result = generator.Generate(RightPad(Prompts), options);
        Assert.Equal(result.GeneratedOnly, generator.Generate(RightPad(Prompts), options with { FixedKvCache = true }).GeneratedOnly);
        for (var row = 0; row < Prompts.Length; row++)
        {
            var source = Row(Prompts[row]);
            Assert.Equal(GreedyByRecomputation(generated => model.Forward(source, decoderInputIds: Row([StartId, .. generated])).Logits, 8), result.GeneratedOnly[row]);
        }
    }

    [Fact]
    public void Rnn_greedy_on_a_padded_batch_equals_argmax_over_full_recomputation()
    {
        var model = Rnn(seed: 23);
        var result = new TextGenerator(new RnnStepDecoder(model)).Generate(RightPad(Prompts), new GenerationOptions { MaxNewTokens = 8 });
        for (var row = 0; row < Prompts.Length; row++)
        {
            var (source, mask) = (Row(Prompts[row]), Row([.. Prompts[row].Select(_ => 1)]));
            Assert.Equal(GreedyByRecomputation(generated => model.Forward(source, mask, Row([StartId, .. generated])), 8), result.GeneratedOnly[row]);
        }
    }

    [Theory]
    [InlineData(PositionKind.Sinusoidal)]
    [InlineData(PositionKind.Alibi)]
    public void Decoder_only_full_width_beam_search_finds_the_exhaustive_best(PositionKind positions)
    {
        var model = new TransformerCausalLm(Transformer(TransformerKind.DecoderOnly, positions, seed: 24));
        var prompt = Prompts[0];
        AssertExhaustiveBest(new CausalStepDecoder(model), Single(prompt), generated => model.Forward(Row([.. prompt, .. generated])).Logits);
    }

    [Theory]
    [InlineData(PositionKind.Learned)]
    [InlineData(PositionKind.Rotary)]
    public void Encoder_decoder_full_width_beam_search_finds_the_exhaustive_best(PositionKind positions)
    {
        var model = Transformer(TransformerKind.EncoderDecoder, positions, seed: 25);
        var source = Row(Prompts[0]);
        AssertExhaustiveBest(new Seq2SeqStepDecoder(new TransformerSeq2SeqLm(model)), Single(Prompts[0]),
            generated => model.Forward(source, decoderInputIds: Row([StartId, .. generated])).Logits);
    }

    [Fact]
    public void Rnn_full_width_beam_search_finds_the_exhaustive_best()
    {
        var model = Rnn(seed: 26);
        var (source, mask) = (Row(Prompts[0]), Row([.. Prompts[0].Select(_ => 1)]));
        AssertExhaustiveBest(new RnnStepDecoder(model), Single(Prompts[0]), generated => model.Forward(source, mask, Row([StartId, .. generated])));
    }

    /// <summary>Greedy decoding that recomputes the whole sequence for every token: <paramref name="logits"/> maps the tokens generated so far to logits (1, T, V).</summary>
    private static int[] GreedyByRecomputation(Func<int[], Tensor> logits, int count)
    {
        using var noGrad = Tensor.NoGrad();
        var generated = new List<int>();
        while (generated.Count < count)
        {
            var all = logits([.. generated]); // (1, T, V)
            generated.Add(all.Narrow(1, all.Size(1) - 1, 1).Reshape(Vocab).ArgMax(0).ToArray()[0]);
        }

        return [.. generated];
    }

    /// <summary>With num_beams = V, two steps of beam search return the best three two-token continuations by log-probability.</summary>
    private static void AssertExhaustiveBest(IStepDecoder decoder, PromptBatch prompt, Func<int[], Tensor> logits)
    {
        var options = new GenerationOptions { NumBeams = Vocab, NumReturnSequences = 3, MaxNewTokens = 2, EarlyStopping = EarlyStopping.Always };
        var beams = new BeamSearch(decoder).Generate(prompt, options);
        float[] LogProbabilities(int[] generated)
        {
            using var noGrad = Tensor.NoGrad();
            var all = logits(generated); // (1, T, V)
            var result = new float[Vocab];
            Softmax.Log(all.Narrow(1, all.Size(1) - 1, 1).Contiguous().ToArray(), result);
            return result;
        }

        var first = LogProbabilities([]);
        var best = Enumerable.Range(0, Vocab)
            .SelectMany(a => LogProbabilities([a]).Select((second, b) => (A: a, B: b, Score: (first[a] + second) / 2.0)))
            .OrderByDescending(c => c.Score).Take(3).ToArray();
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal([best[k].A, best[k].B], beams.GeneratedOnly[k]);
            Assert.Equal(best[k].Score, beams.SequencesScores[k], 1e-4);
        }
    }

    private static TransformerModel Transformer(TransformerKind kind, PositionKind positions, ulong seed) =>
        new(Weights.Initialize(new Generator(seed)), new TransformerConfig
        {
            Kind = kind,
            Positions = positions,
            Layers = 2,
            Channels = 16,
            Heads = 2,
            FeedForward = 32,
            VocabSize = Vocab,
            MaxPositions = 32,
            DecoderStartTokenId = StartId,
        });

    private static RnnSeq2SeqModel Rnn(ulong seed) =>
        new(Weights.Initialize(new Generator(seed)), new RnnSeq2SeqConfig
        {
            SourceVocabSize = Vocab,
            TargetVocabSize = Vocab,
            EmbeddingSize = 8,
            HiddenSize = 16,
            Layers = 2,
            BidirectionalEncoder = true,
            DecoderStartTokenId = StartId,
        });

    private static IntTensor Row(int[] ids) => IntTensor.FromArray(ids, 1, ids.Length);

    private static PromptBatch Single(int[] ids) => new([ids], [[.. ids.Select(_ => 1)]]);

    private static PromptBatch RightPad(int[][] rows)
    {
        var width = rows.Max(r => r.Length);
        return new PromptBatch(
            [.. rows.Select(r => r.Concat(Enumerable.Repeat(0, width - r.Length)).ToArray())],
            [.. rows.Select(r => Enumerable.Repeat(1, r.Length).Concat(Enumerable.Repeat(0, width - r.Length)).ToArray())]);
    }
}

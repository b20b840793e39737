// llama2.c run.c generate(): start from the encoded prompt (BOS + SentencePiece-style pieces), feed one position at a
// time through the KV cache, force the prompt tokens, sample after it, stop at BOS or after `steps` positions; each
// token is printed as decode(previous, next) through safe_printf (a lone byte that is neither printable nor space is
// dropped), and a final newline ends the output.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Tokenizers.Formats;

namespace Loom.Generation.Llama2c;

/// <summary>Reproduces run.c's stdout for a model, tokenizer, prompt and sampler.</summary>
public sealed class Llama2cRunner
{
    private readonly ICausalLm _model;
    private readonly Llama2CTokenizer _tokenizer;
    private readonly int _sequenceLength;

    /// <summary>Wraps a llama2.c model whose context is <paramref name="sequenceLength"/> positions.</summary>
    public Llama2cRunner(ICausalLm model, Llama2CTokenizer tokenizer, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        (_model, _tokenizer, _sequenceLength) = (model, tokenizer, sequenceLength);
    }

    /// <summary>
    /// The byte pieces run.c prints, in order (without the final newline). <paramref name="steps"/> ≤ 0 or above the
    /// context means the whole context, as in run.c.
    /// </summary>
    public IEnumerable<byte[]> Pieces(string prompt, Llama2cSampler sampler, int steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(sampler);
        var promptTokens = _tokenizer.Encode(prompt, bos: true, eos: false);
        if (steps <= 0 || steps > _sequenceLength)
        {
            steps = _sequenceLength;
        }

        return Run(promptTokens, sampler, steps, cancellationToken);
    }

    /// <summary>The whole of run.c's stdout as bytes, final newline included.</summary>
    public byte[] Output(string prompt, Llama2cSampler sampler, int steps)
    {
        var bytes = new List<byte>();
        foreach (var piece in Pieces(prompt, sampler, steps))
        {
            bytes.AddRange(piece);
        }

        bytes.Add((byte)'\n');
        return [.. bytes];
    }

    private IEnumerable<byte[]> Run(int[] promptTokens, Llama2cSampler sampler, int steps, CancellationToken cancellationToken)
    {
        var cache = new DecoderCache(_model.LayerCount);
        var token = promptTokens[0];
        for (var position = 0; position < steps; position++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            float[] logits;
            using (Tensor.NoGrad())
            {
                logits = _model.Forward(IntTensor.FromArray([token], 1, 1), cache: cache).Logits.ToArray(); // (1, 1, V)
            }

            var next = position < promptTokens.Length - 1 ? promptTokens[position + 1] : sampler.Sample(logits);
            if (next == Llama2CTokenizer.Bos)
            {
                yield break;
            }

            var piece = _tokenizer.DecodePiece(token, next);
            if (IsPrintable(piece))
            {
                yield return piece;
            }

            token = next;
        }
    }

    // run.c safe_printf: an empty piece prints nothing; a single byte prints only if isprint or isspace (C locale).
    private static bool IsPrintable(byte[] piece) =>
        piece.Length > 1 || (piece.Length == 1 && ((piece[0] >= 0x20 && piece[0] < 0x7F) || (piece[0] >= 0x09 && piece[0] <= 0x0D)));
}

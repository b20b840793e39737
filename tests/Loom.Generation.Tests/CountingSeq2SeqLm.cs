using Loom.Core;
using Loom.Models.Seq2Seq;

namespace Loom.Generation.Tests;

/// <summary>
/// An <see cref="ISeq2SeqLm"/> that forwards to another and records what the decoding strategies ask of it: encoder
/// calls, and after every decoder call the layer-0 cross-attention keys held by the cache.
/// </summary>
internal sealed class CountingSeq2SeqLm(ISeq2SeqLm inner) : ISeq2SeqLm
{
    public int EncodeCalls { get; private set; }

    public List<Tensor> CrossKeysAfterDecode { get; } = [];

    public string Architecture => inner.Architecture;

    public int DecoderLayerCount => inner.DecoderLayerCount;

    public int VocabSize => inner.VocabSize;

    public int DecoderStartTokenId => inner.DecoderStartTokenId;

    public int PadTokenId => inner.PadTokenId;

    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => inner.Parameters;

    public IReadOnlyDictionary<string, string> TiedWeights => inner.TiedWeights;

    public EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        EncodeCalls++;
        return inner.Encode(inputIds, attentionMask, outputAttentions, outputHiddenStates);
    }

    public Seq2SeqDecoderOutput Decode(IntTensor decoderInputIds, Tensor encoderHiddenStates, IntTensor? encoderAttentionMask = null,
        IntTensor? decoderAttentionMask = null, Seq2SeqCache? cache = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var output = inner.Decode(decoderInputIds, encoderHiddenStates, encoderAttentionMask, decoderAttentionMask, cache, outputAttentions, outputHiddenStates);
        if (cache is not null)
        {
            CrossKeysAfterDecode.Add(cache.CrossAttention(0, () => throw new InvalidOperationException("cross-attention keys missing after a decoder call")).Keys);
        }

        return output;
    }
}

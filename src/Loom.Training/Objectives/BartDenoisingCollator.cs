// BART denoising batches (Lewis et al. 2020; fairseq denoising_dataset.py collate): the encoder reads the noised
// sequence, the decoder predicts the original one; decoder inputs are the original shifted right behind the decoder
// start token (HF BartForConditionalGeneration shift_tokens_right, decoder_start_token_id = EOS for BART).
namespace Loom.Training.Objectives;

/// <summary>Noises and collates BOS … EOS sequences for BART pretraining.</summary>
public sealed class BartDenoisingCollator
{
    private readonly BartNoiser _noiser;

    /// <summary>Creates the collator over a configured <paramref name="noiser"/>.</summary>
    public BartDenoisingCollator(BartNoiser noiser, int padId, int decoderStartId)
    {
        ArgumentNullException.ThrowIfNull(noiser);
        _noiser = noiser;
        PadId = padId;
        DecoderStartId = decoderStartId;
    }

    /// <summary>Padding id.</summary>
    public int PadId { get; }

    /// <summary>First decoder input.</summary>
    public int DecoderStartId { get; }

    /// <summary>Input ids (noised), attention mask, labels (original, −100 on padding), decoder input ids and mask.</summary>
    public TrainingBatch Collate(IReadOnlyList<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var noised = sequences.Select(_noiser.Apply).ToArray();
        var decoderInputs = sequences.Select(s => s.Length == 0 ? s : [DecoderStartId, .. s[..^1]]).ToArray();
        return new TrainingBatch
        {
            InputIds = BatchPadding.Pad(noised, PadId),
            AttentionMask = BatchPadding.Mask(noised),
            Labels = BatchPadding.Pad(sequences, TrainingBatch.IgnoreIndex),
            DecoderInputIds = BatchPadding.Pad(decoderInputs, PadId),
            DecoderAttentionMask = BatchPadding.Mask(decoderInputs),
        };
    }
}

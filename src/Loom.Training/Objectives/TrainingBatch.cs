using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>
/// A collated batch in Hugging Face naming: every tensor is (B, T) unless noted, padded on the right, labels −100 where
/// no loss is taken. Fields an objective does not produce are null.
/// </summary>
public sealed class TrainingBatch
{
    /// <summary>The label value that the loss ignores.</summary>
    public const int IgnoreIndex = -100;

    /// <summary>input_ids (B, T).</summary>
    public required IntTensor InputIds { get; init; }

    /// <summary>attention_mask (B, T): 1 = token, 0 = padding.</summary>
    public required IntTensor AttentionMask { get; init; }

    /// <summary>labels (B, T) for token objectives (decoder labels (B, Td) for seq2seq), −100 where ignored.</summary>
    public IntTensor? Labels { get; init; }

    /// <summary>token_type_ids (B, T): 0 for segment A, 1 for segment B.</summary>
    public IntTensor? TokenTypeIds { get; init; }

    /// <summary>position_ids (B, T); for GLM (B, 2, T): row 0 positions, row 1 block positions.</summary>
    public IntTensor? PositionIds { get; init; }

    /// <summary>decoder_input_ids (B, Td) for seq2seq objectives: the labels shifted right behind the decoder start token.</summary>
    public IntTensor? DecoderInputIds { get; init; }

    /// <summary>decoder_attention_mask (B, Td).</summary>
    public IntTensor? DecoderAttentionMask { get; init; }

    /// <summary>One label per sequence (B): next_sentence_label or sentence_order_label.</summary>
    public IntTensor? SentenceLabels { get; init; }

    /// <summary>Per sequence (B): how many leading tokens are seen bidirectionally (prefix LM, GLM part A).</summary>
    public IntTensor? PrefixLengths { get; init; }

    /// <summary>Batch size B.</summary>
    public int BatchSize => InputIds.Shape[0];

    /// <summary>Sequence length T.</summary>
    public int Length => InputIds.Shape[1];
}

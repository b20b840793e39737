using Loom.Core;

namespace Loom.Models.Bert;

/// <summary>
/// BERT pre-training output (HF BertForPreTrainingOutput): masked-LM logits (B, T, V), next-sentence logits (B, 2),
/// the summed loss when both label sets were given, and the encoder's outputs.
/// </summary>
public sealed record BertPreTrainingOutput(Tensor PredictionLogits, Tensor SeqRelationshipLogits, Tensor? Loss, BertOutput Encoder);

using Loom.Core;

namespace Loom.Models.Seq2Seq;

/// <summary>
/// A full encoder-decoder forward pass (HF Seq2SeqLMOutput): the encoder and decoder outputs, the decoder inputs
/// actually used (derived from the labels when none were given) and the loss when labels were given.
/// </summary>
public sealed record Seq2SeqLmOutput(EncoderOutput Encoder, Seq2SeqDecoderOutput Decoder, IntTensor DecoderInputIds, Tensor? Loss);

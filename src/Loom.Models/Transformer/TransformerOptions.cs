namespace Loom.Models.Transformer;

/// <summary>Which stacks the model has.</summary>
public enum TransformerKind
{
    /// <summary>Bidirectional encoder with a token head (BERT-like masked LM).</summary>
    EncoderOnly,

    /// <summary>Causal decoder with a next-token head (GPT-like).</summary>
    DecoderOnly,

    /// <summary>Encoder plus cross-attending causal decoder (Vaswani et al. 2017).</summary>
    EncoderDecoder,
}

/// <summary>How token positions enter the model.</summary>
public enum PositionKind
{
    /// <summary>Fixed sine/cosine table added to the embeddings.</summary>
    Sinusoidal,

    /// <summary>Trained table added to the embeddings.</summary>
    Learned,

    /// <summary>Rotary rotation of queries and keys.</summary>
    Rotary,

    /// <summary>Linear distance biases on the attention scores.</summary>
    Alibi,
}

/// <summary>Normalisation layer.</summary>
public enum NormKind
{
    /// <summary>LayerNorm with bias.</summary>
    LayerNorm,

    /// <summary>RMSNorm.</summary>
    RmsNorm,
}

/// <summary>Feed-forward non-linearity.</summary>
public enum FeedForwardKind
{
    /// <summary>ReLU between two projections.</summary>
    Relu,

    /// <summary>GELU between two projections.</summary>
    Gelu,

    /// <summary>Gated SiLU with three projections.</summary>
    SwiGlu,
}

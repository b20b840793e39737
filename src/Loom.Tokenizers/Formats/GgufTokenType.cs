namespace Loom.Tokenizers.Formats;

/// <summary>
/// Token types of a GGUF vocabulary (<c>tokenizer.ggml.token_type</c>; llama.cpp <c>llama_token_type</c>, numbered like
/// SentencePiece's piece types).
/// </summary>
public enum GgufTokenType
{
    /// <summary>No type recorded.</summary>
    Undefined = 0,

    /// <summary>An ordinary token.</summary>
    Normal = 1,

    /// <summary>The unknown token.</summary>
    Unknown = 2,

    /// <summary>A control token such as &lt;s&gt; or [CLS].</summary>
    Control = 3,

    /// <summary>A user-defined token, matched in text as a whole.</summary>
    UserDefined = 4,

    /// <summary>An unused slot.</summary>
    Unused = 5,

    /// <summary>A byte token &lt;0xXX&gt;.</summary>
    Byte = 6,
}

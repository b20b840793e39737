using System.Text.Json;

namespace Loom.Generation.Tests;

/// <summary>Reading HF generation_config.json / config.json into GenerationOptions.</summary>
public sealed class HfGenerationConfigTests
{
    [Fact]
    public void ReadsSpecialTokensForcedTokensAndBeamSettings()
    {
        // The keys of a BART summarisation checkpoint's generation_config.json (e.g. facebook/bart-large-cnn).
        using var json = JsonDocument.Parse("""
            {"bos_token_id": 0, "decoder_start_token_id": 2, "early_stopping": true, "eos_token_id": 2,
             "forced_bos_token_id": 0, "forced_eos_token_id": 2, "length_penalty": 2.0, "max_length": 142,
             "min_length": 56, "no_repeat_ngram_size": 3, "num_beams": 4, "pad_token_id": 1}
            """);

        var config = HfGenerationConfig.Parse(json.RootElement);

        Assert.Equal(2, config.DecoderStartTokenId);
        var o = config.Options;
        Assert.Equal([2], o.EosTokenIds);
        Assert.Equal((1, 0, 2), (o.PadTokenId, o.ForcedBosTokenId, o.ForcedEosTokenId));
        Assert.Equal((4, 2f, EarlyStopping.Always), (o.NumBeams, o.LengthPenalty, o.EarlyStopping));
        Assert.Equal((56, 3), (o.MinLength, o.NoRepeatNGramSize));
    }

    [Fact]
    public void ReadsEosListsNeverAndNulls()
    {
        using var json = JsonDocument.Parse("""{"eos_token_id": [128001, 128009], "early_stopping": "never", "pad_token_id": null, "forced_bos_token_id": null}""");

        var o = HfGenerationConfig.Parse(json.RootElement).Options;

        Assert.Equal([128001, 128009], o.EosTokenIds);
        Assert.Equal(EarlyStopping.Never, o.EarlyStopping);
        Assert.Null(o.PadTokenId);
        Assert.Null(o.ForcedBosTokenId);
    }

    [Theory]
    [InlineData("""{"cache_implementation": "static"}""", true)]
    [InlineData("""{"cache_implementation": "dynamic"}""", false)]
    [InlineData("""{}""", false)]
    public void AStaticCacheImplementationPreallocatesTheKvCache(string text, bool fixedCache)
    {
        using var json = JsonDocument.Parse(text);
        Assert.Equal(fixedCache, HfGenerationConfig.Parse(json.RootElement).Options.FixedKvCache);
    }

    [Theory]
    [InlineData("""{"eos_token_id": "two"}""", "eos_token_id")]
    [InlineData("""{"early_stopping": "sometimes"}""", "early_stopping")]
    [InlineData("""{"num_beams": 2.5}""", "num_beams")]
    public void RejectsMistypedValues(string text, string key)
    {
        using var json = JsonDocument.Parse(text);

        var error = Assert.Throws<InvalidDataException>(() => HfGenerationConfig.Parse(json.RootElement, "g.json"));

        Assert.Contains(key, error.Message);
        Assert.Contains("g.json", error.Message);
    }

    [Fact]
    public void FixtureFolderReadsItsGenerationConfig()
    {
        var config = HfGenerationConfig.Load(TestData.Path("hf", "bart"));

        Assert.Equal(2, config.DecoderStartTokenId);
        Assert.Equal([217], config.Options.EosTokenIds);
        Assert.Equal(1, config.Options.PadTokenId);
    }
}

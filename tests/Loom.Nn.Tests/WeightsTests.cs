using Loom.Core;
using Loom.Formats.Safetensors;

namespace Loom.Nn.Tests;

public sealed class WeightsTests
{
    [Fact]
    public void Scopes_build_dotted_names_and_record_each_parameter_once()
    {
        var root = Weights.Initialize(new Generator(1));
        var layer = root.Scope("encoder").Scope("layer").Scope(0);
        var query = new Linear(layer.Scope("attention.self.query"), 4, 3);
        var again = layer.Scope("attention").Scope("self").Scope("query").Get("weight", [3, 4], Init.Zeros);

        Assert.Same(query.Weight, again);
        Assert.Equal(["encoder.layer.0.attention.self.query.weight", "encoder.layer.0.attention.self.query.bias"], root.Parameters.Select(p => p.Key));
        Assert.All(root.Parameters, p => Assert.True(p.Value.RequiresGrad));
        Assert.Throws<StateDictException>(() => layer.Get("attention.self.query.weight", [4, 3], Init.Zeros));
        Assert.Throws<ArgumentException>(() => root.Scope("a..b"));
    }

    [Fact]
    public void Same_seed_gives_the_same_bits_and_another_seed_does_not()
    {
        static float[] Make(ulong seed) => new Linear(Weights.Initialize(new Generator(seed)), 8, 8).Weight.ToArray();
        Assert.Equal(Make(7), Make(7));
        Assert.NotEqual(Make(7), Make(8));
    }

    [Fact]
    public void Training_mode_is_shared_by_the_tree_and_drives_dropout()
    {
        var root = Weights.Initialize(new Generator(3));
        var dropout = new Dropout(root.Scope("deep").Scope("er"), 0.5f);
        var x = Tensor.Ones(1000);
        Assert.Same(x, dropout.Forward(x)); // a tree starts in eval mode
        root.Training = true;
        var trained = dropout.Forward(x).ToArray();
        Assert.Contains(0f, trained);
        Assert.Contains(2f, trained);
        root.Training = false;
        Assert.Same(x, dropout.Forward(x));
    }

    [Fact]
    public void Loading_from_a_checkpoint_reads_values_and_names_missing_unused_and_misshaped_keys()
    {
        var folder = Directory.CreateTempSubdirectory("loom-nn-tests").FullName;
        var path = Path.Combine(folder, "model.safetensors");
        var source = Weights.Initialize(new Generator(5));
        var saved = new Linear(source.Scope("proj"), 3, 2);
        source.Get("extra", [2], Init.Constant(4f));
        StateDict.Save(source.Parameters, path);

        using (var checkpoint = SafetensorsCheckpoint.Open(path))
        {
            var loaded = Weights.FromCheckpoint(checkpoint);
            var linear = new Linear(loaded.Scope("proj"), 3, 2);
            Assert.Equal(saved.Weight.ToArray(), linear.Weight.ToArray());
            Assert.Equal(saved.Bias!.ToArray(), linear.Bias!.ToArray());
            var unused = Assert.Throws<StateDictException>(() => loaded.EnsureAllCheckpointKeysUsed());
            Assert.Contains("'extra'", unused.Message, StringComparison.Ordinal);
            loaded.EnsureAllCheckpointKeysUsed(k => k == "extra");

            var missing = Assert.Throws<StateDictException>(() => new Linear(loaded.Scope("other"), 3, 2));
            Assert.Contains("'other.weight'", missing.Message, StringComparison.Ordinal);
            var shape = Assert.Throws<StateDictException>(() => new Linear(Weights.FromCheckpoint(checkpoint).Scope("proj"), 2, 3));
            Assert.Contains("'proj.weight'", shape.Message, StringComparison.Ordinal);
            Assert.Contains("[3, 2]", shape.Message, StringComparison.Ordinal);
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void StateDict_load_copies_in_place_and_is_strict_about_keys()
    {
        var folder = Directory.CreateTempSubdirectory("loom-nn-tests").FullName;
        var path = Path.Combine(folder, "state.safetensors");
        var a = Weights.Initialize(new Generator(1));
        _ = new Linear(a.Scope("fc"), 4, 4);
        StateDict.Save(a.Parameters, path);

        var b = Weights.Initialize(new Generator(2));
        var target = new Linear(b.Scope("fc"), 4, 4);
        using (var checkpoint = SafetensorsCheckpoint.Open(path))
        {
            StateDict.Load(b.Parameters, checkpoint);
            Assert.Equal(a.Parameters[0].Value.ToArray(), target.Weight.ToArray());

            var c = Weights.Initialize(new Generator(3));
            _ = new Linear(c.Scope("fc"), 4, 4, bias: false);
            var unexpected = Assert.Throws<StateDictException>(() => StateDict.Load(c.Parameters, checkpoint));
            Assert.Contains("'fc.bias'", unexpected.Message, StringComparison.Ordinal);
            StateDict.Load(c.Parameters, checkpoint, strict: false);

            var d = Weights.Initialize(new Generator(4));
            var before = new Linear(d.Scope("fc"), 4, 4).Weight.ToArray();
            d.Get("more", [1], Init.Zeros);
            var missingKey = Assert.Throws<StateDictException>(() => StateDict.Load(d.Parameters, checkpoint));
            Assert.Contains("'more'", missingKey.Message, StringComparison.Ordinal);
            Assert.Equal(before, d.Parameters[0].Value.ToArray());
        }

        Directory.Delete(folder, recursive: true);
    }
}

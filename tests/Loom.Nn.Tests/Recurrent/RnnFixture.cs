// Loads tests/testdata/rnn/rnn_fixtures.json, written by make_rnn_fixtures.py from torch.nn.LSTM / torch.nn.GRU
// (see that folder's README for the torch version and seeds).
using System.Text.Json;
using Loom.Core;

namespace Loom.Nn.Tests.Recurrent;

/// <summary>One PyTorch reference case: state dict, inputs, padded outputs, final states and gradients of sum(output).</summary>
internal sealed class RnnFixture
{
    private RnnFixture(JsonElement root)
    {
        TorchVersion = root.GetProperty("torch_version").GetString() ?? string.Empty;
        Lengths = root.GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        StateDict = Dictionary(root.GetProperty("state_dict"));
        Grads = Dictionary(root.GetProperty("grads"));
        Input = Read(root.GetProperty("input"));
        Hidden0 = Read(root.GetProperty("h0"));
        Output = Read(root.GetProperty("output"));
        HiddenN = Read(root.GetProperty("h_n"));
        InputGrad = Read(root.GetProperty("input_grad"));
        Cell0 = root.TryGetProperty("c0", out var c0) ? Read(c0) : null;
        CellN = root.TryGetProperty("c_n", out var cn) ? Read(cn) : null;
    }

    public string TorchVersion { get; }

    public int[] Lengths { get; }

    /// <summary>torch state_dict(): name → tensor.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict { get; }

    /// <summary>Gradient of sum(padded output) for every parameter.</summary>
    public IReadOnlyDictionary<string, Tensor> Grads { get; }

    /// <summary>(B, T, C).</summary>
    public Tensor Input { get; }

    /// <summary>(L·D, B, H).</summary>
    public Tensor Hidden0 { get; }

    /// <summary>(L·D, B, H) or null (GRU).</summary>
    public Tensor? Cell0 { get; }

    /// <summary>(B, T, D·H), zero at padding (pad_packed_sequence).</summary>
    public Tensor Output { get; }

    /// <summary>(L·D, B, H).</summary>
    public Tensor HiddenN { get; }

    /// <summary>(L·D, B, H) or null (GRU).</summary>
    public Tensor? CellN { get; }

    /// <summary>(B, T, C): gradient of sum(output) with respect to the input.</summary>
    public Tensor InputGrad { get; }

    public static RnnFixture Load(string kind)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Path("..", "rnn", "rnn_fixtures.json")));
        return new RnnFixture(document.RootElement.GetProperty(kind).Clone());
    }

    /// <summary>Writes the state dict as a safetensors file in a fresh temporary folder and returns the file path.</summary>
    public string SaveCheckpoint()
    {
        var folder = Directory.CreateTempSubdirectory("loom-rnn-").FullName;
        var path = System.IO.Path.Combine(folder, "model.safetensors");
        Loom.Nn.StateDict.Save(StateDict, path);
        return path;
    }

    private static Dictionary<string, Tensor> Dictionary(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => Read(p.Value));

    private static Tensor Read(JsonElement element)
    {
        var shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var data = element.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return Tensor.FromArray(data, shape);
    }
}

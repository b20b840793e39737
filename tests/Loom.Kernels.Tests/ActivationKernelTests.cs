namespace Loom.Kernels.Tests;

/// <summary>Activation kernels against published values and their defining formulas.</summary>
public class ActivationKernelTests
{
    [Theory]
    // Values of erf from Abramowitz & Stegun, Handbook of Mathematical Functions, table 7.1.
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.1124629160)]
    [InlineData(0.5, 0.5204998778)]
    [InlineData(1.0, 0.8427007929)]
    [InlineData(1.5, 0.9661051465)]
    [InlineData(2.0, 0.9953222650)]
    [InlineData(-0.3, -0.3286267595)]
    public void ErfMatchesTables(double x, double expected) => Assert.Equal(expected, ActivationKernels.Erf(x), 2e-7);

    [Fact]
    public void GeluFormsAgreeAndMatchTheirDefinitions()
    {
        foreach (var n in KernelTestData.Lengths)
        {
            var x = KernelTestData.Random(n, n, 4f);
            float[] erf = new float[n], tanh = new float[n], silu = new float[n], relu = new float[n];
            ActivationKernels.GeluErf(x, erf);
            ActivationKernels.GeluTanh(x, tanh);
            ActivationKernels.Silu(x, silu);
            ActivationKernels.Relu(x, relu);
            for (var i = 0; i < n; i++)
            {
                // The tanh form approximates the erf form to within 5e-4 (Hendrycks & Gimpel 2016).
                Assert.True(Math.Abs(erf[i] - tanh[i]) < 5e-4, $"gelu forms differ at x={x[i]}");
                Assert.Equal(x[i] / (1 + Math.Exp(-x[i])), silu[i], 1e-6);
                Assert.Equal(Math.Max(x[i], 0f), relu[i]);
            }
        }
    }

    [Fact]
    public void VectorisedGeluMatchesDoubleReference()
    {
        foreach (var n in KernelTestData.Lengths)
        {
            var x = KernelTestData.Random(n, n, 6f);
            var dy = KernelTestData.Random(n, n + 1);
            float[] y = new float[n], yRef = new float[n], dx = new float[n], dxRef = new float[n];
            ActivationKernels.GeluErf(x, y);
            ActivationKernels.GeluErfScalar(x, yRef);
            KernelTestData.AssertClose(yRef, y, 1e-6f, 1e-6f, $"gelu n={n}");
            ActivationKernels.GeluErfBackward(x, dy, dx);
            ActivationKernels.GeluErfBackwardScalar(x, dy, dxRef);
            KernelTestData.AssertClose(dxRef, dx, 1e-6f, 1e-6f, $"gelu backward n={n}");
            ActivationKernels.GeluTanh(x, y);
            ActivationKernels.GeluTanhScalar(x, yRef);
            KernelTestData.AssertClose(yRef, y, 1e-6f, 1e-6f, $"gelu tanh n={n}");
            ActivationKernels.GeluTanhBackward(x, dy, dx);
            ActivationKernels.GeluTanhBackwardScalar(x, dy, dxRef);
            KernelTestData.AssertClose(dxRef, dx, 1e-6f, 1e-6f, $"gelu tanh backward n={n}");
        }
    }

    [Fact]
    public void DerivativesMatchCentralDifferences()
    {
        var x = KernelTestData.Random(200, 3, 4f);
        var ones = Enumerable.Repeat(1f, 200).ToArray();
        (Action<float[], float[]> F, Action<float[], float[], float[]> D, string Name)[] cases =
        [
            ((a, b) => ActivationKernels.GeluErf(a, b), (a, g, d) => ActivationKernels.GeluErfBackward(a, g, d), "gelu"),
            ((a, b) => ActivationKernels.GeluTanh(a, b), (a, g, d) => ActivationKernels.GeluTanhBackward(a, g, d), "gelu tanh"),
            ((a, b) => ActivationKernels.Silu(a, b), (a, g, d) => ActivationKernels.SiluBackward(a, g, d), "silu"),
            ((a, b) => ActivationKernels.Erf(a, b), (a, g, d) => ActivationKernels.ErfBackward(a, g, d), "erf"),
        ];
        foreach (var (f, d, name) in cases)
        {
            var analytic = new float[200];
            d(x, ones, analytic);
            for (var i = 0; i < x.Length; i++)
            {
                const float h = 1e-2f;
                float[] plus = [x[i] + h], minus = [x[i] - h], yp = new float[1], ym = new float[1];
                f(plus, yp);
                f(minus, ym);
                var numeric = (yp[0] - (double)ym[0]) / (plus[0] - (double)minus[0]);
                Assert.True(Math.Abs(numeric - analytic[i]) < 1e-3, $"{name}'({x[i]}): analytic {analytic[i]}, numeric {numeric}");
            }
        }
    }
}

namespace Loom.Kernels.Tests;

/// <summary>Softmax, log-softmax, layer norm, RMS norm, cross-entropy and RoPE against their scalar references at every length.</summary>
public class RowKernelTests
{
    [Fact]
    public void SoftmaxMatchesReference()
    {
        foreach (var n in KernelTestData.Lengths)
        {
            var x = KernelTestData.Random(n, n, 8f);
            var dy = KernelTestData.Random(n, n + 1);
            float[] y = new float[n], yRef = new float[n], dx = new float[n], dxRef = new float[n];
            SoftmaxKernel.Forward(x, y);
            SoftmaxKernel.ForwardScalar(x, yRef);
            KernelTestData.AssertClose(yRef, y, 1e-7f, 1e-5f, $"softmax n={n}");
            SoftmaxKernel.Backward(yRef, dy, dx);
            SoftmaxKernel.BackwardScalar(yRef, dy, dxRef);
            KernelTestData.AssertClose(dxRef, dx, 1e-7f, 1e-4f, $"softmax backward n={n}");
        }
    }

    [Fact]
    public void LogSoftmaxMatchesReference()
    {
        foreach (var n in KernelTestData.Lengths)
        {
            var x = KernelTestData.Random(n, n, 8f);
            var dy = KernelTestData.Random(n, n + 1);
            float[] y = new float[n], yRef = new float[n], dx = new float[n], dxRef = new float[n];
            SoftmaxKernel.LogForward(x, y);
            SoftmaxKernel.LogForwardScalar(x, yRef);
            KernelTestData.AssertClose(yRef, y, 1e-5f, 1e-5f, $"log-softmax n={n}");
            SoftmaxKernel.LogBackward(yRef, dy, dx);
            SoftmaxKernel.LogBackwardScalar(yRef, dy, dxRef);
            KernelTestData.AssertClose(dxRef, dx, 1e-5f, 1e-4f, $"log-softmax backward n={n}");
        }
    }

    [Fact]
    public void SoftmaxOfAFullyMaskedRowIsUniformNotNaN()
    {
        var x = Enumerable.Repeat(float.MinValue, 7).ToArray();
        var y = new float[7];
        SoftmaxKernel.Forward(x, y);
        Assert.All(y, v => Assert.Equal(1f / 7, v, 1e-6f));
    }

    [Fact]
    public void LayerNormMatchesReference()
    {
        foreach (var n in KernelTestData.Lengths)
        {
            var x = KernelTestData.Random(n, n, 3f);
            var w = KernelTestData.Random(n, n + 1);
            var b = KernelTestData.Random(n, n + 2);
            var dy = KernelTestData.Random(n, n + 3);
            float[] y = new float[n], yRef = new float[n];
            LayerNormKernel.Forward(x, w, b, 1e-5f, y, out var mean, out var rstd);
            LayerNormKernel.ForwardScalar(x, w, b, 1e-5f, yRef, out var meanRef, out var rstdRef);
            KernelTestData.AssertClose(yRef, y, 1e-5f, 1e-4f, $"layer norm n={n}");
            KernelTestData.AssertClose([meanRef, rstdRef], [mean, rstd], 1e-6f, 1e-5f, $"layer norm stats n={n}");
            float[] dx = new float[n], dxRef = new float[n], dw = new float[n], dwRef = new float[n], db = new float[n], dbRef = new float[n];
            LayerNormKernel.Backward(dy, x, w, meanRef, rstdRef, dx, dw, db);
            LayerNormKernel.BackwardScalar(dy, x, w, meanRef, rstdRef, dxRef, dwRef, dbRef);
            KernelTestData.AssertClose(dxRef, dx, 1e-5f, 1e-3f, $"layer norm dx n={n}");
            KernelTestData.AssertClose(dwRef, dw, 1e-6f, 1e-5f, $"layer norm dw n={n}");
            KernelTestData.AssertClose(dbRef, db, 0f, 0f, $"layer norm db n={n}");
        }
    }

    [Fact]
    public void RmsNormMatchesReference()
    {
        foreach (var n in KernelTestData.Lengths)
        {
            var x = KernelTestData.Random(n, n, 3f);
            var w = KernelTestData.Random(n, n + 1);
            var dy = KernelTestData.Random(n, n + 3);
            float[] y = new float[n], yRef = new float[n];
            RmsNormKernel.Forward(x, w, 1e-6f, y, out var rstd);
            RmsNormKernel.ForwardScalar(x, w, 1e-6f, yRef, out var rstdRef);
            KernelTestData.AssertClose(yRef, y, 1e-6f, 1e-5f, $"rms norm n={n}");
            Assert.Equal(rstdRef, rstd, 1e-5f * Math.Max(1f, rstdRef));
            float[] dx = new float[n], dxRef = new float[n], dw = new float[n], dwRef = new float[n];
            RmsNormKernel.Backward(dy, x, w, rstdRef, dx, dw);
            RmsNormKernel.BackwardScalar(dy, x, w, rstdRef, dxRef, dwRef);
            KernelTestData.AssertClose(dxRef, dx, 1e-5f, 1e-3f, $"rms norm dx n={n}");
            KernelTestData.AssertClose(dwRef, dw, 1e-6f, 1e-5f, $"rms norm dw n={n}");
        }
    }

    [Fact]
    public void CrossEntropyMatchesReference()
    {
        foreach (var n in KernelTestData.Lengths.Where(n => n > 0))
        {
            var x = KernelTestData.Random(n, n, 5f);
            foreach (var smoothing in new[] { 0f, 0.1f })
            {
                float[] grad = new float[n], gradRef = new float[n];
                var target = (n * 7) % n;
                var loss = CrossEntropyKernel.Forward(x, target, smoothing, grad);
                var lossRef = CrossEntropyKernel.ForwardScalar(x, target, smoothing, gradRef);
                Assert.Equal(lossRef, loss, 1e-5f + (1e-5f * Math.Abs(lossRef)));
                KernelTestData.AssertClose(gradRef, grad, 1e-6f, 1e-4f, $"cross-entropy grad n={n} ε={smoothing}");
            }
        }
    }

    [Fact]
    public void RopeMatchesReferenceAndInverts()
    {
        foreach (var n in KernelTestData.Lengths.Where(n => n % 2 == 0))
        {
            var x = KernelTestData.Random(n, n, 2f);
            var angles = KernelTestData.Random(n / 2, n + 1, 3f);
            var cos = angles.Select(MathF.Cos).ToArray();
            var sin = angles.Select(MathF.Sin).ToArray();
            foreach (var interleaved in new[] { false, true })
            {
                float[] y = new float[n], yRef = new float[n], back = new float[n];
                RopeKernel.Apply(x, cos, sin, interleaved, inverse: false, y);
                RopeKernel.ApplyScalar(x, cos, sin, interleaved, inverse: false, yRef);
                KernelTestData.AssertClose(yRef, y, 1e-6f, 1e-6f, $"rope n={n} interleaved={interleaved}");
                RopeKernel.Apply(y, cos, sin, interleaved, inverse: true, back);
                KernelTestData.AssertClose(x, back, 1e-5f, 1e-5f, $"rope inverse n={n} interleaved={interleaved}");
            }
        }
    }

    [Fact]
    public void RopeRotatesTheDocumentedPairs()
    {
        // Angle π/2 on the first pair only: (x_a, x_b) → (−x_b, x_a).
        float[] x = [1, 2, 3, 4];
        float[] cos = [0, 1], sin = [1, 0];
        var half = new float[4];
        var pairs = new float[4];
        RopeKernel.ApplyScalar(x, cos, sin, interleaved: false, inverse: false, half);
        RopeKernel.ApplyScalar(x, cos, sin, interleaved: true, inverse: false, pairs);
        Assert.Equal([-3f, 2f, 1f, 4f], half);
        Assert.Equal([-2f, 1f, 3f, 4f], pairs);
    }

    [Fact]
    public void KernelsRejectMismatchedSpans()
    {
        var ex = Assert.Throws<ArgumentException>(() => SoftmaxKernel.Forward(new float[4], new float[3]));
        Assert.Contains("length 4; found 3", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RopeKernel.Apply(new float[3], new float[1], new float[1], false, false, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyKernel.Forward(new float[3], 3, 0f, new float[3]));
    }
}

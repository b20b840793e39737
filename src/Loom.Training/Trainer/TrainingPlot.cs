// A dependency-free SVG chart of a training log: one panel for the losses (training loss and every eval metric whose
// name contains "loss"), one for the learning rate, and one per other evaluation metric, stacked vertically. Each
// panel has its own linear y axis with min/max labels and a shared step axis.
using System.Globalization;
using System.Security;
using System.Text;

namespace Loom.Training;

/// <summary>Renders <see cref="LogRecord"/>s as an SVG document.</summary>
public static class TrainingPlot
{
    private const int Width = 720;
    private const int PanelHeight = 200;
    private const int Left = 70;
    private const int Right = 150;
    private const int Top = 30;
    private const int Bottom = 30;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    /// <summary>Writes the SVG of <paramref name="records"/> to <paramref name="path"/>.</summary>
    public static void Save(IReadOnlyList<LogRecord> records, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Render(records), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The SVG document of <paramref name="records"/> (an empty log gives a single empty panel).</summary>
    public static string Render(IReadOnlyList<LogRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var panels = Panels(records);
        var maxStep = Math.Max(1, records.Count == 0 ? 1 : records.Max(r => r.Step));
        var height = Math.Max(1, panels.Count) * PanelHeight;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (var i = 0; i < panels.Count; i++)
        {
            Panel(svg, panels[i].Title, panels[i].Series, i * PanelHeight, maxStep);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static List<(string Title, List<(string Name, List<(int Step, double Value)> Points)> Series)> Panels(IReadOnlyList<LogRecord> records)
    {
        List<(int, double)> SeriesOf(string kind, string name) =>
            [.. records.Where(r => r.Kind == kind && r.Values.TryGetValue(name, out var v) && double.IsFinite(v)).Select(r => (r.Step, r.Values[name]))];
        var evalNames = records.Where(r => r.Kind == "eval").SelectMany(r => r.Values.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var losses = new List<(string, List<(int, double)>)> { ("train loss", SeriesOf("train", "loss")) };
        losses.AddRange(evalNames.Where(n => n.Contains("loss", StringComparison.Ordinal)).Select(n => (n, SeriesOf("eval", n))));
        var panels = new List<(string, List<(string, List<(int, double)>)>)>
        {
            ("loss", losses),
            ("learning rate", [("lr", SeriesOf("train", "lr"))]),
        };
        panels.AddRange(evalNames.Where(n => !n.Contains("loss", StringComparison.Ordinal)).Select(n => (n, new List<(string, List<(int, double)>)> { (n, SeriesOf("eval", n)) })));
        return panels;
    }

    private static void Panel(StringBuilder svg, string title, List<(string Name, List<(int Step, double Value)> Points)> series, int offset, int maxStep)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = PanelHeight - Top - Bottom;
        var values = series.SelectMany(s => s.Points).Select(p => p.Value).ToList();
        var (low, high) = values.Count == 0 ? (0d, 1d) : (values.Min(), values.Max());
        if (high - low < 1e-12 * Math.Max(1d, Math.Abs(high)))
        {
            (low, high) = (low - 0.5, high + 0.5);
        }

        double X(int step) => Left + (plotWidth * (double)step / maxStep);
        double Y(double value) => offset + Top + (plotHeight * (high - value) / (high - low));
        svg.Append(CultureInfo.InvariantCulture, $"<g>\n<text x=\"{Left}\" y=\"{offset + 18}\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{offset + Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#888\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{offset + Top + 4}\" text-anchor=\"end\">{Number(high)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{offset + Top + plotHeight}\" text-anchor=\"end\">{Number(low)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{offset + PanelHeight - 12}\">0</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth}\" y=\"{offset + PanelHeight - 12}\" text-anchor=\"end\">step {maxStep}</text>\n");
        for (var i = 0; i < series.Count; i++)
        {
            var (name, points) = series[i];
            var color = Colors[i % Colors.Length];
            if (points.Count == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(points[0].Step):F1}\" cy=\"{Y(points[0].Value):F1}\" r=\"2.5\" fill=\"{color}\"/>\n");
            }
            else if (points.Count > 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"");
                svg.AppendJoin(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Step):F1},{Y(p.Value):F1}")));
                svg.Append("\"/>\n");
            }

            var legendY = offset + Top + 12 + (16 * i);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left + plotWidth + 10}\" y1=\"{legendY - 4}\" x2=\"{Left + plotWidth + 28}\" y2=\"{legendY - 4}\" stroke=\"{color}\" stroke-width=\"2\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth + 32}\" y=\"{legendY}\">{Escape(name)}</text>\n");
        }

        svg.Append("</g>\n");
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}

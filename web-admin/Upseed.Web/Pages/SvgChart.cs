using System.Globalization;
using System.Text;

namespace Upseed.Web;

/// <summary>
/// A small line chart as inline SVG, drawn on the server: no chart library, no script, nothing inline for the CSP
/// to refuse (presentation attributes and classes only).
/// </summary>
internal static class SvgChart
{
    private const int Width = 320;
    private const int Height = 96;
    private const int Pad = 4;

    public static void Line(Html html, string title, MetricSeriesDto series, Func<double, string> format)
    {
        html.Raw("<figure class=\"chart\"><figcaption>").Text(title);
        if (series.Values.Count > 0)
        {
            html.Raw(" <strong>").Text(format(series.Values[^1])).Raw("</strong>");
        }

        html.Raw("</figcaption>");
        if (series.Values.Count < 2)
        {
            html.Raw("<p class=\"hint\">Collecting samples (one a minute).</p></figure>");
            return;
        }

        var t0 = series.Times[0];
        var t1 = Math.Max(series.Times[^1], t0 + 1);
        var min = series.Values.Min();
        var max = series.Values.Max();
        if (max - min < 1e-9)
        {
            max = min + 1;
        }

        var points = new StringBuilder();
        for (var i = 0; i < series.Values.Count; i++)
        {
            var x = Pad + ((series.Times[i] - t0) * (Width - (2 * Pad)) / (double)(t1 - t0));
            var y = Height - Pad - ((series.Values[i] - min) * (Height - (2 * Pad)) / (max - min));
            points.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#} ");
        }

        html.Raw(string.Create(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\""))
            .Text(title).Raw("\" preserveAspectRatio=\"none\">")
            .Raw(string.Create(CultureInfo.InvariantCulture, $"<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" points=\"{points.ToString().TrimEnd()}\"/>"))
            .Raw("</svg><div class=\"range\"><span>").Text(format(min)).Raw("</span><span>").Text(format(max)).Raw("</span></div></figure>");
    }

    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(double value) => value switch
    {
        >= 1 << 30 => (value / (1 << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1 << 20 => (value / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (value / (1 << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => value.ToString("0", CultureInfo.InvariantCulture) + " B",
    };
}

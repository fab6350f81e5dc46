using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Upseed.Web;

/// <summary>
/// Builds an HTML page. Everything that did not come from this assembly's own literals goes through <see cref="Text"/>
/// or an attribute method, which HTML-encode it: user text is always text, never markup.
/// </summary>
internal sealed class Html
{
    // Encodes <, >, &, quotes and apostrophes (and controls); keeps letters of every script as they are.
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _out = new(8 * 1024);

    /// <summary>Markup written by this assembly. Never pass user data here.</summary>
    public Html Raw(string markup)
    {
        _out.Append(markup);
        return this;
    }

    /// <summary>Text, encoded.</summary>
    public Html Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return this;
        }

        // Newlines stay newlines (the encoder would write &#xA;): bodies are shown with white-space: pre-wrap.
        using var writer = new StringWriter(_out, CultureInfo.InvariantCulture);
        var rest = text.AsSpan();
        while (true)
        {
            var newline = rest.IndexOf('\n');
            s_encoder.Encode(writer, (newline < 0 ? rest : rest[..newline]).ToString());
            if (newline < 0)
            {
                break;
            }

            _out.Append('\n');
            rest = rest[(newline + 1)..];
        }

        return this;
    }

    public Html Number(long value) => Raw(value.ToString("N0", CultureInfo.InvariantCulture));

    /// <summary>An element with encoded text content and encoded attributes: <c>Element("a", "title", ("href", url))</c>.</summary>
    public Html Element(string tag, string? text, params (string Name, string? Value)[] attributes)
    {
        Open(tag, attributes);
        Text(text);
        return Raw("</").Raw(tag).Raw(">");
    }

    public Html Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _out.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null)
            {
                continue;
            }

            _out.Append(' ').Append(name).Append("=\"");
            Text(value);
            _out.Append('"');
        }

        _out.Append('>');
        return this;
    }

    public Html Close(string tag) => Raw("</").Raw(tag).Raw(">");

    /// <summary>A POST form with the CSRF field; <paramref name="fields"/> are hidden inputs.</summary>
    public Html FormOpen(string action, string csrf, string? cssClass = null, params (string Name, string Value)[] fields)
    {
        Open("form", ("method", "post"), ("action", action), ("class", cssClass));
        Open("input", ("type", "hidden"), ("name", CsrfProtection.FormField), ("value", csrf));
        foreach (var (name, value) in fields)
        {
            Open("input", ("type", "hidden"), ("name", name), ("value", value));
        }

        return this;
    }

    public static string Encode(string text) => s_encoder.Encode(text);

    public override string ToString() => _out.ToString();
}

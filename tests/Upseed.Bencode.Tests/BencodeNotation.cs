using System.Globalization;
using System.Text;

namespace Upseed.Bencode.Tests;

/// <summary>
/// The compact notation the vector files use for expected values: strings "quoted" (bytes outside printable ASCII as
/// \xNN), integers bare, lists [a,b], dictionaries {"k":v}. Also used to print FsCheck counterexamples.
/// </summary>
internal static class BencodeNotation
{
    public static string Format(BValue value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, BValue value)
    {
        switch (value)
        {
            case BString s:
                AppendBytes(builder, s.Span);
                break;
            case BInteger i:
                builder.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case BList list:
                builder.Append('[');
                for (var index = 0; index < list.Count; index++)
                {
                    builder.Append(index == 0 ? "" : ",");
                    Append(builder, list[index]);
                }

                builder.Append(']');
                break;
            case BDictionary dictionary:
                builder.Append('{');
                var first = true;
                foreach (var (key, entry) in dictionary.Entries)
                {
                    builder.Append(first ? "" : ",");
                    first = false;
                    AppendBytes(builder, key);
                    builder.Append(':');
                    Append(builder, entry);
                }

                builder.Append('}');
                break;
            default:
                throw new ArgumentException($"Unknown value type {value.GetType()}.", nameof(value));
        }
    }

    private static void AppendBytes(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        builder.Append('"');
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        builder.Append('"');
    }
}

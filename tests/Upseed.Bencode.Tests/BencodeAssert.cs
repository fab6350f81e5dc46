using System.Runtime.InteropServices;

namespace Upseed.Bencode.Tests;

/// <summary>Structural comparison of value trees and checks that <see cref="BValue.Raw"/> slices the input.</summary>
internal static class BencodeAssert
{
    /// <summary>Same kinds, same bytes, same integers, same entries in the same order, all the way down.</summary>
    public static void Equivalent(BValue expected, BValue actual)
    {
        switch (expected)
        {
            case BString s:
                Assert.Equal(s.Value.ToArray(), Assert.IsType<BString>(actual).Value.ToArray());
                break;
            case BInteger i:
                Assert.Equal(i.Value, Assert.IsType<BInteger>(actual).Value);
                break;
            case BList list:
                var actualList = Assert.IsType<BList>(actual);
                Assert.Equal(list.Count, actualList.Count);
                for (var index = 0; index < list.Count; index++)
                {
                    Equivalent(list[index], actualList[index]);
                }

                break;
            case BDictionary dictionary:
                var actualDictionary = Assert.IsType<BDictionary>(actual);
                Assert.Equal(dictionary.Count, actualDictionary.Count);
                for (var index = 0; index < dictionary.Count; index++)
                {
                    Assert.Equal(dictionary.Entries[index].Key, actualDictionary.Entries[index].Key);
                    Equivalent(dictionary.Entries[index].Value, actualDictionary.Entries[index].Value);
                }

                break;
            default:
                Assert.Fail($"Unknown value type {expected.GetType()}.");
                break;
        }
    }

    /// <summary>
    /// Checks that <paramref name="value"/>'s Raw is the slice of <paramref name="input"/> starting at
    /// <paramref name="offset"/> (the same array, not a copy) and equal to the value's canonical encoding, and the same
    /// for every value inside it. Returns the offset just past the value.
    /// </summary>
    public static int RawIsSlice(BValue value, byte[] input, int offset)
    {
        Assert.True(MemoryMarshal.TryGetArray(value.Raw, out var segment), "Raw is not backed by an array.");
        Assert.Same(input, segment.Array);
        Assert.Equal(offset, segment.Offset);
        Assert.Equal(value.Encode(), value.Raw.ToArray());

        var position = offset + 1; // past 'l' or 'd'
        switch (value)
        {
            case BList list:
                foreach (var item in list.Items)
                {
                    position = RawIsSlice(item, input, position);
                }

                break;
            case BDictionary dictionary:
                foreach (var (key, entry) in dictionary.Entries)
                {
                    position += EncodedStringLength(key.Length);
                    position = RawIsSlice(entry, input, position);
                }

                break;
            default:
                return offset + value.Raw.Length;
        }

        Assert.Equal((byte)'e', input[position]);
        Assert.Equal(offset + value.Raw.Length, position + 1);
        return position + 1;
    }

    private static int EncodedStringLength(int length) =>
        length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1 + length;
}

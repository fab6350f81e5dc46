using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Upseed.Bencode;

/// <summary>
/// A bencoded dictionary. Entries are kept sorted by raw key bytes, so encoding is canonical whatever order they
/// were added in. Decoded dictionaries are sorted too: the decoder refuses unsorted input, or sorts it when
/// <see cref="BencodeOptions.RequireSortedKeys"/> is off (then only <see cref="BValue.Raw"/> keeps the wire order).
/// </summary>
public sealed class BDictionary : BValue
{
    private readonly List<KeyValuePair<byte[], BValue>> _entries;

    public BDictionary()
        : base(default) => _entries = [];

    internal BDictionary(List<KeyValuePair<byte[], BValue>> sortedEntries, ReadOnlyMemory<byte> raw)
        : base(raw) => _entries = sortedEntries;

    public int Count => _entries.Count;

    /// <summary>Entries in canonical (raw-byte ascending) key order.</summary>
    public IReadOnlyList<KeyValuePair<byte[], BValue>> Entries => _entries;

    /// <summary>Adds or replaces an entry. Only for dictionaries built in code.</summary>
    public BDictionary Set(string key, BValue value) => Set(Encoding.UTF8.GetBytes(key), value);

    public BDictionary Set(string key, long value) => Set(key, new BInteger(value));

    public BDictionary Set(string key, string value) => Set(key, new BString(value));

    public BDictionary Set(string key, ReadOnlyMemory<byte> value) => Set(key, new BString(value));

    public BDictionary Set(byte[] key, BValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!Raw.IsEmpty)
        {
            throw new InvalidOperationException("A decoded dictionary is read-only.");
        }

        var index = IndexOf(key);
        if (index >= 0)
        {
            _entries[index] = new(key, value);
        }
        else
        {
            _entries.Insert(~index, new(key, value));
        }

        return this;
    }

    public bool TryGetValue(ReadOnlySpan<byte> key, [NotNullWhen(true)] out BValue? value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _entries[index].Value : null;
        return value is not null;
    }

    public bool TryGetValue(string key, [NotNullWhen(true)] out BValue? value) =>
        TryGetValue(Encoding.UTF8.GetBytes(key), out value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public override void WriteTo(IBufferWriter<byte> writer)
    {
        BencodeWriter.WriteByte(writer, (byte)'d');
        foreach (var (key, value) in _entries)
        {
            BencodeWriter.WriteString(writer, key);
            value.WriteTo(writer);
        }

        BencodeWriter.WriteByte(writer, (byte)'e');
    }

    /// <summary>
    /// Writes the canonical encoding without the entries whose keys are listed: used to produce the bytes a
    /// signature or proof of work covers.
    /// </summary>
    public void WriteWithout(IBufferWriter<byte> writer, params ReadOnlySpan<string> excludedKeys)
    {
        BencodeWriter.WriteByte(writer, (byte)'d');
        foreach (var (key, value) in _entries)
        {
            if (IsExcluded(key, excludedKeys))
            {
                continue;
            }

            BencodeWriter.WriteString(writer, key);
            if (!value.Raw.IsEmpty)
            {
                writer.Write(value.Raw.Span);
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        BencodeWriter.WriteByte(writer, (byte)'e');
    }

    // Keys given as strings mean their UTF-8 bytes, as in Set and TryGetValue; ASCII keys skip the transcoding.
    private static bool IsExcluded(ReadOnlySpan<byte> key, ReadOnlySpan<string> excludedKeys)
    {
        foreach (var excluded in excludedKeys)
        {
            if (Ascii.IsValid(excluded)
                ? key.Length == excluded.Length && Ascii.Equals(key, excluded)
                : key.SequenceEqual(Encoding.UTF8.GetBytes(excluded)))
            {
                return true;
            }
        }

        return false;
    }

    private int IndexOf(ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = _entries.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = _entries[mid].Key.AsSpan().SequenceCompareTo(key);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}

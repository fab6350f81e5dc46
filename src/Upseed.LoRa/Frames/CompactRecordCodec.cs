using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Upseed.Bencode;
using Upseed.Records;

namespace Upseed.LoRa.Frames;

/// <summary>
/// The compact binary form of a record for the radio. The receiver rebuilds the record's exact canonical bencode from
/// it, and that is what gets validated and signature-checked, as on every other path (the compact form carries no
/// trust of its own).
/// <code>
/// header (1 B)   bits 0-2: record kind (1..6); bit 3: raw form; bit 4: tail is Brotli-compressed; bits 5-7: 0
/// fields form:   author (32 B) | sig (64 B) | created (varint)
///                | binary fields: (tag, value)* in ascending tag order, then 0
///                | tail: text fields (tag, varint length, UTF-8)* in ascending tag order
/// raw form:      tail: the canonical bencode itself
/// </code>
/// Binary tags: 1 parent, 2 root, 3 target, 4 replacement (20-byte ids), 5 subject (32-byte key), 6 moderators
/// (varint count, then 32-byte keys), 7 pow (varint), 8 value, 9 difficulty (zigzag varints). Text tags: 1 community,
/// 2 title, 3 body, 4 name, 5 bio, 6 label, 7 reason, 8 rules. <c>v</c> (always 1) and <c>kind</c> are implied by the
/// header. Any record the fields form cannot rebuild byte for byte travels in the raw form.
/// </summary>
public static class CompactRecordCodec
{
    /// <summary>Header bit: the tail is the canonical bencode (the fallback for anything the fields form cannot carry).</summary>
    internal const byte RawFlag = 0x08;

    /// <summary>Header bit: the tail is compressed.</summary>
    internal const byte CompressedFlag = 0x10;

    private const byte KindMask = 0x07;
    private const int AuthorSize = 32;
    private const int SignatureSize = 64;
    private const int IdSize = 20;

    // Names are the record format's dictionary keys (README "Records"). Order within each table = tag order.
    private static readonly string[] s_binaryNames = ["", "parent", "root", "target", "replacement", "subject", "moderators", "pow", "value", "difficulty"];
    private static readonly string[] s_textNames = ["", "community", "title", "body", "name", "bio", "label", "reason", "rules"];

    private static readonly string[] s_kindNames = ["", "identity", "post", "vote", "retract", "label", "charter"];

    private static readonly BencodeOptions s_bencodeOptions = new()
    {
        MaxDepth = 2,
        MaxStringLength = RecordLimits.MaxRecordSize,
        MaxMessageSize = RecordLimits.MaxRecordSize,
        MaxValues = 200,
    };

    private enum FieldShape
    {
        Id,
        Key,
        KeyList,
        Unsigned,
        Signed,
    }

    /// <summary>
    /// Encodes a record. Never fails: a record the fields form cannot rebuild exactly goes in the raw form. The output
    /// is deterministic for given record bytes, so two boxes sending one record send the same fragments.
    /// </summary>
    public static byte[] Encode(SignedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var compact = TryEncodeFields(record);
        if (compact is not null
            && TryDecode(compact, out var rebuilt) == CompactRecordError.None
            && rebuilt.AsSpan().SequenceEqual(record.Bytes.Span))
        {
            return compact;
        }

        return EncodeRaw((byte)record.Kind, record.Bytes.Span);
    }

    /// <summary>The raw form: header and the canonical bytes, compressed when that is smaller.</summary>
    internal static byte[] EncodeRaw(byte kind, ReadOnlySpan<byte> canonical)
    {
        var compressed = TextCompression.Compress(canonical);
        var tail = compressed ?? canonical;
        var output = new byte[1 + tail.Length];
        output[0] = (byte)((kind & KindMask) | RawFlag | (compressed is null ? 0 : CompressedFlag));
        tail.CopyTo(output.AsSpan(1));
        return output;
    }

    /// <summary>
    /// Rebuilds the canonical bencoded record. The result is not yet trusted: validate it with
    /// <see cref="RecordCodec.TryParse"/> (or a store's ingest), which checks the signature.
    /// </summary>
    public static CompactRecordError TryDecode(ReadOnlySpan<byte> compact, out byte[] canonical)
    {
        canonical = [];
        if (compact.IsEmpty)
        {
            return CompactRecordError.Empty;
        }

        var header = compact[0];
        if ((header & 0xE0) != 0)
        {
            return CompactRecordError.UnsupportedFormat;
        }

        var kind = (RecordKind)(header & KindMask);
        if (!Enum.IsDefined(kind))
        {
            return CompactRecordError.UnknownKind;
        }

        var compressed = (header & CompressedFlag) != 0;
        if ((header & RawFlag) != 0)
        {
            var error = ReadTail(compact[1..], compressed, out var raw);
            if (error == CompactRecordError.None)
            {
                canonical = raw;
            }

            return error;
        }

        return TryDecodeFields(kind, compact[1..], compressed, out canonical);
    }

    /// <summary>Rebuilds and fully validates (signature and proof of work included) in one call.</summary>
    public static bool TryDecodeRecord(
        ReadOnlySpan<byte> compact,
        RecordValidationOptions options,
        [NotNullWhen(true)] out SignedRecord? record,
        out CompactRecordError error,
        out RecordRejection? rejection)
    {
        record = null;
        rejection = null;
        error = TryDecode(compact, out var canonical);
        return error == CompactRecordError.None && RecordCodec.TryParse(canonical, options, out record, out rejection);
    }

    private static byte[]? TryEncodeFields(SignedRecord record)
    {
        BDictionary dict;
        try
        {
            if (BencodeDecoder.Decode(record.Bytes, s_bencodeOptions) is not BDictionary decoded)
            {
                return null;
            }

            dict = decoded;
        }
        catch (BencodeException)
        {
            return null;
        }

        ReadOnlyMemory<byte> author = default, sig = default;
        long created = -1;
        var haveVersion = false;
        var haveKind = false;
        var binary = new SortedDictionary<int, BValue>();
        var text = new SortedDictionary<int, ReadOnlyMemory<byte>>();
        foreach (var (keyBytes, value) in dict.Entries)
        {
            var key = System.Text.Encoding.ASCII.GetString(keyBytes);
            switch (key)
            {
                case "v":
                    haveVersion = value is BInteger { Value: RecordLimits.FormatVersion };
                    break;
                case "kind":
                    haveKind = value is BString kindName && kindName.Span.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(KindName(record.Kind)));
                    break;
                case "author" when value is BString { Value.Length: AuthorSize } a:
                    author = a.Value;
                    break;
                case "sig" when value is BString { Value.Length: SignatureSize } s:
                    sig = s.Value;
                    break;
                case "created" when value is BInteger { Value: >= 0 } c:
                    created = c.Value;
                    break;
                default:
                    var textTag = Array.IndexOf(s_textNames, key);
                    var binaryTag = Array.IndexOf(s_binaryNames, key);
                    if (textTag > 0 && value is BString t)
                    {
                        text[textTag] = t.Value;
                    }
                    else if (binaryTag > 0 && FitsShape(ShapeOf(binaryTag), value))
                    {
                        binary[binaryTag] = value;
                    }
                    else
                    {
                        return null;
                    }

                    break;
            }
        }

        if (!haveVersion || !haveKind || author.IsEmpty || sig.IsEmpty || created < 0)
        {
            return null;
        }

        var head = new ArrayBufferWriter<byte>(256);
        WriteByte(head, (byte)record.Kind);
        head.Write(author.Span);
        head.Write(sig.Span);
        WriteVarint(head, (ulong)created);
        foreach (var (tag, value) in binary)
        {
            WriteByte(head, (byte)tag);
            WriteBinary(head, ShapeOf(tag), value);
        }

        WriteByte(head, 0);

        var tail = new ArrayBufferWriter<byte>(512);
        foreach (var (tag, value) in text)
        {
            WriteByte(tail, (byte)tag);
            WriteVarint(tail, (ulong)value.Length);
            tail.Write(value.Span);
        }

        var compressed = TextCompression.Compress(tail.WrittenSpan);
        var output = new byte[head.WrittenCount + (compressed?.Length ?? tail.WrittenCount)];
        head.WrittenSpan.CopyTo(output);
        (compressed ?? tail.WrittenSpan).CopyTo(output.AsSpan(head.WrittenCount));
        if (compressed is not null)
        {
            output[0] |= CompressedFlag;
        }

        return output;
    }

    private static FieldShape ShapeOf(int binaryTag) => binaryTag switch
    {
        1 or 2 or 3 or 4 => FieldShape.Id,
        5 => FieldShape.Key,
        6 => FieldShape.KeyList,
        7 => FieldShape.Unsigned,
        _ => FieldShape.Signed,
    };

    private static bool FitsShape(FieldShape shape, BValue value) => shape switch
    {
        FieldShape.Id => value is BString { Value.Length: IdSize },
        FieldShape.Key => value is BString { Value.Length: AuthorSize },
        FieldShape.KeyList => value is BList list && list.Count <= RecordLimits.MaxModerators
            && list.Items.All(item => item is BString { Value.Length: AuthorSize }),
        FieldShape.Unsigned => value is BInteger { Value: >= 0 },
        _ => value is BInteger,
    };

    private static void WriteBinary(ArrayBufferWriter<byte> writer, FieldShape shape, BValue value)
    {
        switch (shape)
        {
            case FieldShape.Id or FieldShape.Key:
                writer.Write(((BString)value).Span);
                break;
            case FieldShape.KeyList:
                var list = (BList)value;
                WriteVarint(writer, (ulong)list.Count);
                foreach (var item in list.Items)
                {
                    writer.Write(((BString)item).Span);
                }

                break;
            case FieldShape.Unsigned:
                WriteVarint(writer, (ulong)((BInteger)value).Value);
                break;
            default:
                WriteVarint(writer, Varint.ZigZag(((BInteger)value).Value));
                break;
        }
    }

    private static string KindName(RecordKind kind) => s_kindNames[(int)kind];

    private static void WriteByte(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(Varint.MaxLength);
        writer.Advance(Varint.Write(span, value));
    }

    private static CompactRecordError TryDecodeFields(RecordKind kind, ReadOnlySpan<byte> body, bool compressed, out byte[] canonical)
    {
        canonical = [];
        if (body.Length < AuthorSize + SignatureSize + 1)
        {
            return CompactRecordError.Truncated;
        }

        var dict = new BDictionary()
            .Set("v", RecordLimits.FormatVersion)
            .Set("kind", KindName(kind))
            .Set("author", body[..AuthorSize].ToArray())
            .Set("sig", body.Slice(AuthorSize, SignatureSize).ToArray());
        var position = AuthorSize + SignatureSize;
        var error = ReadVarint(body, ref position, out var created);
        if (error != CompactRecordError.None)
        {
            return error;
        }

        if (created > long.MaxValue)
        {
            return CompactRecordError.BadLength;
        }

        dict.Set("created", (long)created);
        var last = 0;
        while (true)
        {
            if (position >= body.Length)
            {
                return CompactRecordError.Truncated;
            }

            int tag = body[position++];
            if (tag == 0)
            {
                break;
            }

            if (tag >= s_binaryNames.Length)
            {
                return CompactRecordError.UnknownTag;
            }

            if (tag <= last)
            {
                return CompactRecordError.TagOutOfOrder;
            }

            last = tag;
            error = ReadBinary(body, ref position, ShapeOf(tag), out var value);
            if (error != CompactRecordError.None)
            {
                return error;
            }

            dict.Set(s_binaryNames[tag], value!);
        }

        error = ReadTail(body[position..], compressed, out var tail);
        if (error != CompactRecordError.None)
        {
            return error;
        }

        position = 0;
        last = 0;
        while (position < tail.Length)
        {
            int tag = tail[position++];
            if (tag == 0 || tag >= s_textNames.Length)
            {
                return CompactRecordError.UnknownTag;
            }

            if (tag <= last)
            {
                return CompactRecordError.TagOutOfOrder;
            }

            last = tag;
            error = ReadVarint(tail, ref position, out var length);
            if (error != CompactRecordError.None)
            {
                return error;
            }

            if (length > (ulong)(tail.Length - position))
            {
                return CompactRecordError.Truncated;
            }

            dict.Set(s_textNames[tag], tail.AsMemory(position, (int)length));
            position += (int)length;
        }

        canonical = dict.Encode();
        if (canonical.Length > RecordLimits.MaxRecordSize)
        {
            canonical = [];
            return CompactRecordError.TooLarge;
        }

        return CompactRecordError.None;
    }

    private static CompactRecordError ReadBinary(ReadOnlySpan<byte> body, ref int position, FieldShape shape, out BValue? value)
    {
        value = null;
        switch (shape)
        {
            case FieldShape.Id or FieldShape.Key:
                var size = shape == FieldShape.Id ? IdSize : AuthorSize;
                if (body.Length - position < size)
                {
                    return CompactRecordError.Truncated;
                }

                value = new BString(body.Slice(position, size).ToArray());
                position += size;
                return CompactRecordError.None;
            case FieldShape.KeyList:
                var error = ReadVarint(body, ref position, out var count);
                if (error != CompactRecordError.None)
                {
                    return error;
                }

                if (count > RecordLimits.MaxModerators)
                {
                    return CompactRecordError.BadLength;
                }

                if ((ulong)(body.Length - position) < count * AuthorSize)
                {
                    return CompactRecordError.Truncated;
                }

                var keys = new BValue[(int)count];
                for (var i = 0; i < keys.Length; i++)
                {
                    keys[i] = new BString(body.Slice(position, AuthorSize).ToArray());
                    position += AuthorSize;
                }

                value = new BList(keys);
                return CompactRecordError.None;
            default:
                error = ReadVarint(body, ref position, out var raw);
                if (error != CompactRecordError.None)
                {
                    return error;
                }

                if (shape == FieldShape.Unsigned && raw > long.MaxValue)
                {
                    return CompactRecordError.BadLength;
                }

                value = new BInteger(shape == FieldShape.Unsigned ? (long)raw : Varint.UnZigZag(raw));
                return CompactRecordError.None;
        }
    }

    private static CompactRecordError ReadVarint(ReadOnlySpan<byte> source, ref int position, out ulong value)
    {
        if (!Varint.TryRead(source[position..], out value, out var consumed))
        {
            // Either cut short or not the shortest form; both mean these bytes are not what an encoder wrote.
            return consumed >= source.Length - position ? CompactRecordError.Truncated : CompactRecordError.BadLength;
        }

        position += consumed;
        return CompactRecordError.None;
    }

    private static CompactRecordError ReadTail(ReadOnlySpan<byte> tail, bool compressed, out byte[] data)
    {
        if (!compressed)
        {
            data = tail.ToArray();
            return data.Length > RecordLimits.MaxRecordSize ? CompactRecordError.TooLarge : CompactRecordError.None;
        }

        return TextCompression.TryDecompress(tail, RecordLimits.MaxRecordSize, out data)
            ? CompactRecordError.None
            : CompactRecordError.Decompression;
    }
}

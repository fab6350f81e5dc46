using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Upseed.Metainfo;
using Upseed.Sync.Reconciliation;

namespace Upseed.Sync.Protocol;

/// <summary>
/// Encodes and strictly decodes <c>upseed_sync</c> messages. Layouts (varints as in <see cref="Varint"/>):
/// <list type="bullet">
/// <item>Hello: <c>01 version len community</c></item>
/// <item>ReconcileRequest: <c>02 window flags [from to+1|0 salt16] ranges…</c> (flags: 1 start, 2 final; the bracket only with start)</item>
/// <item>ReconcileResponse: <c>03 window ranges…</c></item>
/// <item>Records: <c>04 batch count (len bytes)×count</c></item>
/// <item>RecordsAck: <c>05 batch</c></item>
/// <item>Offer / Need: <c>06|07 count id20×count</c></item>
/// </list>
/// Lengths are checked against <see cref="SyncCodecOptions"/> and the bytes left before anything is allocated;
/// trailing bytes, unknown types and unknown flags are errors. Ranges are checked by <see cref="ReconcileReader"/>.
/// </summary>
public static class SyncMessageCodec
{
    private const byte FlagStart = 1;
    private const byte FlagFinal = 2;

    public static byte[] Encode(SyncMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new ArrayBufferWriter<byte>(64);
        WriteByte(writer, (byte)message.Type);
        switch (message)
        {
            case SyncHello hello:
                WriteByte(writer, hello.Version);
                var name = Encoding.UTF8.GetBytes(hello.Community);
                WriteVarint(writer, (ulong)name.Length);
                writer.Write(name);
                break;
            case ReconcileRequest request:
                WriteVarint(writer, request.Window);
                WriteByte(writer, (byte)((request.Start ? FlagStart : 0) | (request.Final ? FlagFinal : 0)));
                if (request.Start)
                {
                    if (request.From < 0 || request.To is < 0 || request.Salt.Length != ItemHasher.SaltSize)
                    {
                        throw new ArgumentException("A window starts at 0 or later and has a 16-byte salt.", nameof(message));
                    }

                    WriteVarint(writer, (ulong)request.From);
                    WriteVarint(writer, request.To is { } to ? (ulong)to + 1 : 0);
                    writer.Write(request.Salt.Span);
                }

                writer.Write(request.Ranges.Span);
                break;
            case ReconcileResponse response:
                WriteVarint(writer, response.Window);
                writer.Write(response.Ranges.Span);
                break;
            case RecordBatch batch:
                WriteVarint(writer, batch.Batch);
                WriteVarint(writer, (ulong)batch.Records.Count);
                foreach (var record in batch.Records)
                {
                    WriteVarint(writer, (ulong)record.Length);
                    writer.Write(record.Span);
                }

                break;
            case RecordBatchAck ack:
                WriteVarint(writer, ack.Batch);
                break;
            case RecordOffer offer:
                WriteIds(writer, offer.Ids);
                break;
            case RecordNeed need:
                WriteIds(writer, need.Ids);
                break;
            default:
                throw new ArgumentException($"Unknown message {message.GetType().Name}.", nameof(message));
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Bytes a records message takes for records of these sizes: for filling a batch up to the limit.</summary>
    public static int RecordEntrySize(int recordLength) => Varint.Length((ulong)recordLength) + recordLength;

    /// <summary>Bytes of a records message's header (type, batch number, count) at most.</summary>
    public const int RecordBatchHeaderSize = 1 + 5 + 3;

    /// <summary>Decodes one message. The result's byte fields are slices of <paramref name="payload"/>, not copies.</summary>
    public static bool TryDecode(
        ReadOnlyMemory<byte> payload,
        SyncCodecOptions options,
        [NotNullWhen(true)] out SyncMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        message = null;
        error = null;
        if (payload.Length > options.MaxMessageBytes)
        {
            error = $"message of {payload.Length} bytes, over {options.MaxMessageBytes}";
            return false;
        }

        if (payload.IsEmpty)
        {
            error = "empty message";
            return false;
        }

        var reader = new Reader(payload);
        var type = (SyncMessageType)reader.Byte();
        switch (type)
        {
            case SyncMessageType.Hello:
                var version = reader.Byte();
                var length = reader.Varint();
                if (length == 0 || length > (ulong)options.MaxCommunityBytes || length > (ulong)reader.Left)
                {
                    error = "bad community length";
                    return false;
                }

                var name = reader.Take((int)length).Span;
                foreach (var b in name)
                {
                    if (b is < 0x21 or > 0x7E)
                    {
                        error = "community name is not printable ASCII";
                        return false;
                    }
                }

                message = new SyncHello(version, Encoding.ASCII.GetString(name));
                break;
            case SyncMessageType.ReconcileRequest:
                var window = reader.UInt32();
                var flags = reader.Byte();
                if ((flags & ~(FlagStart | FlagFinal)) != 0)
                {
                    error = $"unknown flags {flags}";
                    return false;
                }

                long from = 0;
                long? to = null;
                ReadOnlyMemory<byte> salt = default;
                if ((flags & FlagStart) != 0)
                {
                    var f = reader.Varint();
                    var t = reader.Varint();
                    if (f > long.MaxValue || t > long.MaxValue || (t != 0 && t - 1 <= f))
                    {
                        error = "bad window";
                        return false;
                    }

                    from = (long)f;
                    to = t == 0 ? null : (long)t - 1;
                    salt = reader.Take(ItemHasher.SaltSize);
                }

                message = new ReconcileRequest(window, (flags & FlagStart) != 0, (flags & FlagFinal) != 0, from, to, salt, reader.Rest());
                break;
            case SyncMessageType.ReconcileResponse:
                message = new ReconcileResponse(reader.UInt32(), reader.Rest());
                break;
            case SyncMessageType.Records:
                var batch = reader.UInt32();
                var count = reader.Varint();
                if (count > (ulong)options.MaxRecordsPerBatch || count > (ulong)reader.Left)
                {
                    error = $"batch of {count} records, over the limit";
                    return false;
                }

                var records = new ReadOnlyMemory<byte>[(int)count];
                for (var i = 0; i < records.Length; i++)
                {
                    var size = reader.Varint();
                    if (size == 0 || size > (ulong)options.MaxRecordBytes || size > (ulong)reader.Left)
                    {
                        error = $"record of {size} bytes in a batch";
                        return false;
                    }

                    records[i] = reader.Take((int)size);
                }

                message = new RecordBatch(batch, records);
                break;
            case SyncMessageType.RecordsAck:
                message = new RecordBatchAck(reader.UInt32());
                break;
            case SyncMessageType.Offer:
            case SyncMessageType.Need:
                var n = reader.Varint();
                if (n > (ulong)options.MaxIds || n * InfoHash.Size > (ulong)reader.Left)
                {
                    error = $"list of {n} ids, over the limit or the message";
                    return false;
                }

                var ids = new InfoHash[(int)n];
                for (var i = 0; i < ids.Length; i++)
                {
                    ids[i] = new InfoHash(reader.Take(InfoHash.Size).Span);
                }

                message = type == SyncMessageType.Offer ? new RecordOffer(ids) : new RecordNeed(ids);
                break;
            default:
                error = $"unknown message type {(byte)type}";
                return false;
        }

        if (reader.Failed)
        {
            message = null;
            error = "message cut short or a bad varint";
            return false;
        }

        if (reader.Left != 0)
        {
            message = null;
            error = $"{reader.Left} bytes after the message";
            return false;
        }

        return true;
    }

    private static void WriteIds(ArrayBufferWriter<byte> writer, IReadOnlyList<InfoHash> ids)
    {
        WriteVarint(writer, (ulong)ids.Count);
        foreach (var id in ids)
        {
            id.CopyTo(writer.GetSpan(InfoHash.Size));
            writer.Advance(InfoHash.Size);
        }
    }

    private static void WriteByte(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> writer, ulong value) =>
        writer.Advance(Reconciliation.Varint.Write(writer.GetSpan(Reconciliation.Varint.MaxLength), value));

    // Reads forward; any failure sets Failed and yields zeros/empty, checked once at the end.
    private struct Reader(ReadOnlyMemory<byte> data)
    {
        private ReadOnlyMemory<byte> _rest = data;

        public bool Failed { get; private set; }

        public readonly int Left => _rest.Length;

        public byte Byte() => Take(1) is { Length: 1 } one ? one.Span[0] : (byte)0;

        public ulong Varint()
        {
            if (!Reconciliation.Varint.TryRead(_rest.Span, out var value, out var used))
            {
                Failed = true;
                _rest = default;
                return 0;
            }

            _rest = _rest[used..];
            return value;
        }

        public uint UInt32()
        {
            var value = Varint();
            if (value > uint.MaxValue)
            {
                Failed = true;
                return 0;
            }

            return (uint)value;
        }

        public ReadOnlyMemory<byte> Take(int count)
        {
            if (count > _rest.Length)
            {
                Failed = true;
                _rest = default;
                return default;
            }

            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }

        public ReadOnlyMemory<byte> Rest()
        {
            var rest = _rest;
            _rest = default;
            return rest;
        }
    }
}

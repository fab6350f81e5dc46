using System.Security.Cryptography;
using System.Text;

namespace Upseed.Torrent;

/// <summary>
/// A 20-byte peer id (BEP 3). Ours follow the Azureus-style convention most clients use: <c>-US0001-</c> then 12
/// random bytes, so other clients' logs can tell an Upseed node apart.
/// </summary>
public readonly record struct PeerId
{
    public const int Size = 20;
    private static ReadOnlySpan<byte> ClientPrefix => "-US0001-"u8;
    private readonly byte[] _bytes;

    public PeerId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A peer id is {Size} bytes.", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Span => _bytes;

    public static PeerId CreateRandom()
    {
        Span<byte> bytes = stackalloc byte[Size];
        ClientPrefix.CopyTo(bytes);
        RandomNumberGenerator.Fill(bytes[ClientPrefix.Length..]);
        return new PeerId(bytes);
    }

    public bool Equals(PeerId other) => Span.SequenceEqual(other.Span);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public override string ToString() => Encoding.ASCII.GetString(_bytes.Select(b => b is >= 0x20 and < 0x7F ? b : (byte)'.').ToArray());
}

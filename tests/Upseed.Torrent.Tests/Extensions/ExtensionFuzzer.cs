using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Extensions;

namespace Upseed.Torrent.Tests.Extensions;

/// <summary>
/// Mutation fuzzer for the three extension decoders (<see cref="ExtensionHandshake"/>, <see cref="MetadataMessage"/>,
/// <see cref="PexMessage"/>). Each input is random bytes or a valid payload (BEP vectors and generated messages) with
/// a few bencode-aware mutations, fed to all three. The oracle: TryDecode never throws; a rejection carries a reason;
/// an accepted message encodes without throwing (decoding keeps only encodable values), and its encoding decodes to
/// the same message (for PEX, encodes to the same bytes, since IPv4-mapped peers move to the IPv4 list).
/// </summary>
internal sealed class ExtensionFuzzer
{
    private static readonly byte[] s_interesting = "ilde:-0123456789"u8.ToArray();

    private readonly Random _random;
    private readonly List<byte[]> _corpus = [];

    public ExtensionFuzzer(int seed)
    {
        _random = new Random(seed);
        _corpus.AddRange(TestVectorFile.Read("bep9-ut-metadata.txt").Values);
        _corpus.AddRange(TestVectorFile.Read("bep10-extension-handshake.txt").Values);
        var rnd = new Rnd((ulong)seed, ExtensionGen.Gamma);
        _corpus.AddRange(ExtensionGen.Handshake.Sample(20, rnd, 24).Select(h => h.Encode()));
        _corpus.AddRange(ExtensionGen.Metadata.Sample(20, rnd, 24).Select(m => m.Encode()).Where(b => b.Length < 512));
        _corpus.AddRange(ExtensionGen.Pex.Sample(10, rnd, 24).Select(p => p.Encode()));
    }

    public FuzzStats Stats { get; } = new();

    public void Run(int iterations)
    {
        for (var i = 0; i < iterations; i++)
        {
            Check(NextInput(), Stats);
        }
    }

    /// <summary>The oracle for one input; public so a found crash can be replayed as a named regression test.</summary>
    public static void Check(byte[] input, FuzzStats? stats = null)
    {
        try
        {
            CheckHandshake(input, stats);
            CheckMetadata(input, stats);
            CheckPex(input, stats);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} on {Convert.ToHexString(input)} ({TestVectorFile.Escape(input)}): {ex}");
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message} on {Convert.ToHexString(input)} ({TestVectorFile.Escape(input)})");
        }
    }

    private static void CheckHandshake(byte[] input, FuzzStats? stats)
    {
        if (!ExtensionHandshake.TryDecode(input, out var handshake, out var error))
        {
            Assert.False(string.IsNullOrEmpty(error));
            stats?.Rejected("handshake: " + Category(error));
            return;
        }

        Assert.True(ExtensionHandshake.TryDecode(handshake.Encode(), out var again, out error), error);
        Assert.Equal(handshake, again);
        stats?.Accepted("handshake");
    }

    private static void CheckMetadata(byte[] input, FuzzStats? stats)
    {
        if (!MetadataMessage.TryDecode(input, out var message, out var error))
        {
            Assert.False(string.IsNullOrEmpty(error));
            stats?.Rejected("ut_metadata: " + Category(error));
            return;
        }

        Assert.True(message.Data.Length <= MetadataMessage.PieceSize);
        Assert.True(MetadataMessage.TryDecode(message.Encode(), out var again, out error), error);
        Assert.Equal(message, again);
        stats?.Accepted("ut_metadata " + message.Type);
    }

    private static void CheckPex(byte[] input, FuzzStats? stats)
    {
        if (!PexMessage.TryDecode(input, out var message, out var error))
        {
            Assert.False(string.IsNullOrEmpty(error));
            stats?.Rejected("ut_pex: " + Category(error));
            return;
        }

        Assert.Equal(message.Added.Count, message.AddedFlags.Count);
        Assert.True(message.Added.Count <= 2 * PexMessage.MaxPeersPerList);
        var encoded = message.Encode();
        Assert.True(PexMessage.TryDecode(encoded, out var again, out error), error);
        Assert.Equal(encoded, again.Encode());
        stats?.Accepted(message.Added.Count + message.Dropped.Count > 0 ? "ut_pex with peers" : "ut_pex empty");
    }

    // Bencode errors end in "(at byte N)"; group them by sentence.
    private static string Category(string error)
    {
        var at = error.IndexOf(" (at byte", StringComparison.Ordinal);
        return at < 0 ? error : error[..at];
    }

    private byte[] NextInput()
    {
        if (_random.Next(6) == 0)
        {
            var random = new byte[_random.Next(0, 40)];
            _random.NextBytes(random);
            return random;
        }

        var bytes = new List<byte>(_corpus[_random.Next(_corpus.Count)]);
        if (_random.Next(8) == 0)
        {
            var other = _corpus[_random.Next(_corpus.Count)];
            var at = _random.Next(bytes.Count + 1);
            bytes.InsertRange(at, other.Skip(_random.Next(other.Length)).Take(_random.Next(1, 40)));
        }

        for (var n = _random.Next(0, 4); n > 0; n--)
        {
            Mutate(bytes);
        }

        return [.. bytes];
    }

    private void Mutate(List<byte> bytes)
    {
        if (bytes.Count == 0)
        {
            bytes.Add(s_interesting[_random.Next(s_interesting.Length)]);
            return;
        }

        var at = _random.Next(bytes.Count);
        switch (_random.Next(6))
        {
            case 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1:
                bytes[at] = s_interesting[_random.Next(s_interesting.Length)];
                break;
            case 2:
                bytes.Insert(at, s_interesting[_random.Next(s_interesting.Length)]);
                break;
            case 3:
                bytes.RemoveAt(at);
                break;
            case 4:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            default:
                // A different key of the same length, so lookups miss or hit another field.
                var keys = new[] { "added", "piece", "reqq", "yourip", "v", "p", "m", "e" };
                var key = Encoding.ASCII.GetBytes(keys[_random.Next(keys.Length)]);
                for (var i = 0; i < key.Length && at + i < bytes.Count; i++)
                {
                    bytes[at + i] = key[i];
                }

                break;
        }
    }
}

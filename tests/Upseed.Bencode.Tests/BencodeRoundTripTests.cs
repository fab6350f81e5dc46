using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Upseed.Bencode.Tests;

/// <summary>FsCheck properties over generated value trees (fixed seed: see <see cref="BValueGen"/>).</summary>
public class BencodeRoundTripTests
{
    [Fact]
    public void EncodeDecodeEncode_RandomTree_GivesIdenticalBytes()
    {
        Prop.ForAll(BValueGen.Samples, sample =>
        {
            var encoded = sample.Value.Encode();
            var reencoded = BencodeDecoder.Decode(encoded).Encode();
            Assert.Equal(encoded, reencoded);
        }).Check(BValueGen.Config(1000));
    }

    [Fact]
    public void Decode_CanonicalInput_PreservesStructure()
    {
        Prop.ForAll(BValueGen.Samples, sample =>
        {
            var decoded = BencodeDecoder.Decode(sample.Value.Encode());
            BencodeAssert.Equivalent(sample.Value, decoded);
        }).Check(BValueGen.Config(1000));
    }

    [Fact]
    public void Decode_CanonicalInput_RawOfEveryValueSlicesTheInput()
    {
        Prop.ForAll(BValueGen.Samples, sample =>
        {
            var input = sample.Value.Encode();
            var end = BencodeAssert.RawIsSlice(BencodeDecoder.Decode(input), input, 0);
            Assert.Equal(input.Length, end);
        }).Check(BValueGen.Config(500));
    }

    [Fact]
    public void WriteWithout_RandomDictionary_EqualsEncodeOfDictionaryWithoutThoseKeys()
    {
        Prop.ForAll(BValueGen.DictionarySamples, sample =>
        {
            // Every other key that can be named as a string (keys with bytes over 0x7F cannot) is left out.
            var built = (BDictionary)sample.Value;
            var decoded = (BDictionary)BencodeDecoder.Decode(built.Encode());
            var excludedKeys = built.Entries.Select(entry => entry.Key)
                .Where((key, index) => index % 2 == 0 && Ascii.IsValid(key))
                .ToList();
            var expected = new BDictionary();
            foreach (var (key, value) in built.Entries)
            {
                if (!excludedKeys.Any(excluded => excluded.AsSpan().SequenceEqual(key)))
                {
                    expected.Set(key, value);
                }
            }

            var buffer = new ArrayBufferWriter<byte>();
            decoded.WriteWithout(buffer, [.. excludedKeys.Select(Encoding.ASCII.GetString)]);

            Assert.Equal(expected.Encode(), buffer.WrittenSpan.ToArray());
        }).Check(BValueGen.Config(500));
    }

    [Fact]
    public void Set_EntriesInAnyOrder_EncodesTheSameBytes()
    {
        Prop.ForAll(BValueGen.DictionarySamples, sample =>
        {
            var original = (BDictionary)sample.Value;
            var reversed = new BDictionary();
            foreach (var (key, value) in original.Entries.Reverse())
            {
                reversed.Set(key, value);
            }

            Assert.Equal(original.Encode(), reversed.Encode());
        }).Check(BValueGen.Config(300));
    }

    [Fact]
    public void Decode_AdjacentKeysSwapped_ThrowsUnsortedKeys()
    {
        // Swapping two neighbouring entries of a canonical dictionary must be caught, whatever the keys are.
        Prop.ForAll(BValueGen.DictionarySamples, sample =>
        {
            var dictionary = (BDictionary)sample.Value;
            if (dictionary.Count < 2)
            {
                return;
            }

            var buffer = new ArrayBufferWriter<byte>();
            BencodeWriter.WriteByte(buffer, (byte)'d');
            var entries = dictionary.Entries.ToList();
            (entries[0], entries[1]) = (entries[1], entries[0]);
            foreach (var (key, value) in entries)
            {
                BencodeWriter.WriteString(buffer, key);
                value.WriteTo(buffer);
            }

            BencodeWriter.WriteByte(buffer, (byte)'e');

            var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(buffer.WrittenMemory));
            Assert.Equal(BencodeError.UnsortedKeys, ex.Error);
        }).Check(BValueGen.Config(300));
    }
}

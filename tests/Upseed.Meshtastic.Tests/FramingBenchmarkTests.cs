using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Upseed.Meshtastic.Framing;
using Upseed.Meshtastic.Protobufs;
using Xunit.Abstractions;

namespace Upseed.Meshtastic.Tests;

/// <summary>
/// Stream framing throughput: a radio's output (text packets, full-size private-port packets, debug log lines)
/// read in 4 KiB pieces, framed, and decoded to FromRadio. Prints figures; asserts only correctness.
/// Run: dotnet test tests/Upseed.Meshtastic.Tests -c Release --filter Category=Benchmark --logger "console;verbosity=detailed"
/// </summary>
public sealed class FramingBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public void Framing_DecodeThroughput()
    {
        var stream = new List<byte>();
        var framesPerCopy = 0;
        for (var i = 0; i < 64; i++)
        {
            stream.AddRange("DEBUG | 12:00:00 42 [Router] Received packet\r\n"u8.ToArray());
            stream.AddRange(MeshtasticCodec.ToFrame(new FromRadio
            {
                Packet = new MeshPacket { From = 1, To = 2, Id = (uint)i, HopLimit = 3, Decoded = new Data { Portnum = PortNum.TextMessageApp, Payload = ByteString.CopyFromUtf8("top town week please") } },
            }));
            stream.AddRange(MeshtasticCodec.ToFrame(new FromRadio
            {
                Packet = new MeshPacket { From = 1, To = 0xFFFFFFFF, Id = (uint)i, HopLimit = 3, Decoded = new Data { Portnum = (PortNum)300, Payload = ByteString.CopyFrom(new byte[233]) } },
            }));
            framesPerCopy += 2;
        }

        var input = stream.ToArray();
        foreach (var parse in new[] { false, true })
        {
            Run(input, framesPerCopy, parse, TimeSpan.FromMilliseconds(300)); // warm-up
            var (bytes, frames, elapsed) = Run(input, framesPerCopy, parse, TimeSpan.FromSeconds(3));
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(parse ? "framing + FromRadio parse" : "framing only")}: {bytes / elapsed.TotalSeconds / 1e6:0.0} MB/s, {frames / elapsed.TotalSeconds / 1e3:0} k frames/s"));
        }
    }

    private static (long Bytes, long Frames, TimeSpan Elapsed) Run(byte[] input, int framesPerCopy, bool parse, TimeSpan duration)
    {
        using var buffer = new StreamFrameBuffer();
        long bytes = 0;
        long frames = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            var copyFrames = 0;
            for (var offset = 0; offset < input.Length;)
            {
                var memory = buffer.GetWriteMemory();
                var count = Math.Min(Math.Min(memory.Length, 4096), input.Length - offset);
                input.AsSpan(offset, count).CopyTo(memory.Span);
                buffer.Advance(count);
                offset += count;
                while (true)
                {
                    var status = buffer.Read(out var payload, out _, out _);
                    if (status == OperationStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == OperationStatus.Done)
                    {
                        copyFrames++;
                        if (parse)
                        {
                            Assert.True(MeshtasticCodec.TryDecodeFromRadio(payload, out _));
                        }
                    }
                }
            }

            Assert.Equal(framesPerCopy, copyFrames);
            bytes += input.Length;
            frames += copyFrames;
        }

        return (bytes, frames, watch.Elapsed);
    }
}

using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Upseed.Meshtastic.Framing;
using Upseed.Meshtastic.Protobufs;

namespace Upseed.Meshtastic.Tests;

/// <summary>
/// A Meshtastic radio as its client API behaves [firmware PhoneAPI/StreamAPI]: answers want_config_id with my_info,
/// node infos, config, channels, metadata and config_complete_id (the same nonce), prints debug text between frames,
/// and passes mesh packets both ways. Serves TCP on 127.0.0.1 (any number of successive clients) or one stream
/// (a pseudo-terminal's master side).
/// </summary>
internal sealed class FakeMeshtasticRadio : IAsyncDisposable
{
    public const uint NodeNumber = 0xB0C5B0C5;
    public const uint NeighbourNumber = 0x1A2B3C4D;

    private readonly TcpListener? _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _tasks = [];
    private Stream? _client;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _connections;

    private FakeMeshtasticRadio(TcpListener? listener)
    {
        _listener = listener;
    }

    /// <summary>Every ToRadio the radio received, in order, across connections.</summary>
    public System.Threading.Channels.Channel<ToRadio> Received { get; } = System.Threading.Channels.Channel.CreateUnbounded<ToRadio>();

    /// <summary>The raw frames (header included) of every ToRadio received.</summary>
    public List<byte[]> RawFrames { get; } = [];

    public int Port => ((IPEndPoint)_listener!.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Print debug text between frames, as a radio on serial does. Defaults to true.</summary>
    public bool PrintDebugText { get; set; } = true;

    /// <summary>Answer want_config_id at all. Defaults to true.</summary>
    public bool AnswerConfig { get; set; } = true;

    /// <summary>Before the real answer, send a config_complete_id for another (stale) nonce. Defaults to true.</summary>
    public bool SendStaleCompleteFirst { get; set; } = true;

    public static FakeMeshtasticRadio StartTcp()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var radio = new FakeMeshtasticRadio(listener);
        radio.Track(radio.AcceptLoopAsync());
        return radio;
    }

    /// <summary>Serves one stream (it owns it), such as a pseudo-terminal's master side.</summary>
    public static FakeMeshtasticRadio ServeStream(Stream stream)
    {
        var radio = new FakeMeshtasticRadio(null);
        radio.Track(radio.ServeAsync(stream));
        return radio;
    }

    /// <summary>Waits for the next ToRadio matching <paramref name="match"/>, skipping others.</summary>
    public async Task<ToRadio> WaitForAsync(Func<ToRadio, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await Received.Reader.ReadAsync(cts.Token);
            if (match(message))
            {
                return message;
            }
        }
    }

    /// <summary>Sends a FromRadio to the connected client.</summary>
    public async Task SendAsync(FromRadio message) => await WriteAsync(MeshtasticCodec.ToFrame(message));

    public async Task SendRawAsync(byte[] bytes) => await WriteAsync(bytes);

    public Task SendTextAsync(uint from, uint to, string text, uint channel = 0) => SendAsync(new FromRadio
    {
        Packet = new MeshPacket
        {
            From = from,
            To = to,
            Channel = channel,
            Id = (uint)Random.Shared.Next(1, int.MaxValue),
            HopLimit = 3,
            HopStart = 3,
            Decoded = new Data { Portnum = PortNum.TextMessageApp, Payload = ByteString.CopyFromUtf8(text) },
        },
    });

    /// <summary>Closes the current client's connection, as a radio that reboots or drops Wi-Fi does.</summary>
    public void DropClient()
    {
        lock (_gate)
        {
            _client?.Dispose();
            _client = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        DropClient();
        Task[] tasks;
        lock (_gate)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks);
        _stop.Dispose();
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _tasks.Add(task);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Track(ServeAsync(new NetworkStream(socket, ownsSocket: true)));
        }
    }

    private async Task ServeAsync(Stream stream)
    {
        lock (_gate)
        {
            _client?.Dispose();
            _client = stream;
        }

        Interlocked.Increment(ref _connections);
        using var frames = new StreamFrameBuffer();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(frames.GetWriteMemory(), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                frames.Advance(read);
                var messages = new List<ToRadio>();
                while (true)
                {
                    var status = frames.Read(out var payload, out _, out _);
                    if (status == OperationStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == OperationStatus.Done)
                    {
                        // The firmware drops what does not decode; a test that sends bad bytes checks the client side.
                        if (MeshtasticCodec.TryDecodeToRadio(payload, out var message))
                        {
                            var raw = new byte[StreamFraming.HeaderSize + payload.Length];
                            StreamFraming.WriteFrame(payload, raw);
                            lock (RawFrames)
                            {
                                RawFrames.Add(raw);
                            }

                            messages.Add(message!);
                        }
                    }
                }

                foreach (var message in messages)
                {
                    Received.Writer.TryWrite(message);
                    if (message.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.WantConfigId && AnswerConfig)
                    {
                        await AnswerConfigAsync(message.WantConfigId);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the test ended.
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_client, stream))
                {
                    _client = null;
                }
            }

            await stream.DisposeAsync();
        }
    }

    private async Task AnswerConfigAsync(uint nonce)
    {
        if (PrintDebugText)
        {
            await SendRawAsync(Encoding.ASCII.GetBytes("INFO  | 12:00:01 42 [PhoneAPI] Client wants config, nonce=" + nonce + "\r\n"));
        }

        if (SendStaleCompleteFirst)
        {
            await SendAsync(new FromRadio { ConfigCompleteId = nonce ^ 0x5A5A5A5A });
        }

        await SendAsync(new FromRadio { MyInfo = new MyNodeInfo { MyNodeNum = NodeNumber, RebootCount = 1, MinAppVersion = 30200 } });
        await SendAsync(new FromRadio { Metadata = new DeviceMetadata { FirmwareVersion = "2.7.18.fake", HwModel = HardwareModel.HeltecV3, HasWifi = true } });
        await SendAsync(new FromRadio
        {
            NodeInfo = new NodeInfo { Num = NodeNumber, User = new User { Id = "!b0c5b0c5", LongName = "Upseed box", ShortName = "UPS" } },
        });
        await SendAsync(new FromRadio
        {
            NodeInfo = new NodeInfo { Num = NeighbourNumber, LastHeard = 1_763_781_000, User = new User { Id = "!1a2b3c4d", LongName = "Ana's radio", ShortName = "ANA" } },
        });
        await SendAsync(new FromRadio
        {
            Config = new Config { Lora = new Config.Types.LoRaConfig { UsePreset = true, ModemPreset = Config.Types.LoRaConfig.Types.ModemPreset.LongFast, Region = Config.Types.LoRaConfig.Types.RegionCode.Eu868, HopLimit = 3, TxEnabled = true } },
        });
        await SendAsync(new FromRadio { Config = new Config { Device = new Config.Types.DeviceConfig() } });
        await SendAsync(new FromRadio { ModuleConfig = new ModuleConfig { Mqtt = new ModuleConfig.Types.MQTTConfig() } });
        await SendAsync(new FromRadio { Channel = new Channel { Index = 0, Role = Channel.Types.Role.Primary, Settings = new ChannelSettings { Name = "LongFast", Psk = ByteString.CopyFrom(1) } } });
        await SendAsync(new FromRadio { Channel = new Channel { Index = 1, Role = Channel.Types.Role.Disabled } });
        if (PrintDebugText)
        {
            await SendRawAsync(Encoding.ASCII.GetBytes("DEBUG | 12:00:01 42 [PhoneAPI] Config sent\r\n"));
        }

        await SendAsync(new FromRadio { ConfigCompleteId = nonce });
    }

    private async Task WriteAsync(byte[] bytes)
    {
        Stream? client;
        lock (_gate)
        {
            client = _client;
        }

        if (client is null)
        {
            throw new InvalidOperationException("No client is connected to the fake radio.");
        }

        await _writeLock.WaitAsync();
        try
        {
            await client.WriteAsync(bytes);
            await client.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}

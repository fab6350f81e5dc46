using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Upseed.Meshtastic.Link;
using Upseed.Meshtastic.Protobufs;
using static Upseed.Meshtastic.Tests.LinkTestHelpers;

namespace Upseed.Meshtastic.Tests;

/// <summary>
/// The serial path over a pseudo-terminal pair: the link opens the slave side by its /dev/pts path exactly as it
/// opens /dev/ttyACM0 (termios raw 8N1 at 115200), and the fake radio speaks on the master side.
/// </summary>
public sealed partial class SerialLinkTests
{
    [Fact]
    public async Task SerialLink_PseudoTerminal_HandshakeSendReceiveAndHangup()
    {
        using var pty = PseudoTerminal.Open();
        await using var radio = FakeMeshtasticRadio.ServeStream(SerialPortStream.FromHandle(pty.TakeMaster()));
        Assert.True(MeshtasticEndpoint.TryParse("serial:" + pty.SlavePath, out var endpoint, out _));
        await using var link = new MeshtasticLinkSupervisor(endpoint, FastOptions);
        using var texts = link.Subscribe(MeshtasticPortNumbers.TextMessage);
        link.Start();

        await link.WaitUntilReadyAsync().WaitAsync(Hang);
        Assert.True(link.TryGetRadio(out var info));
        Assert.Equal(FakeMeshtasticRadio.NodeNumber, info!.MyNodeNumber);

        var sent = await link.SendAsync(new MeshtasticOutgoingPacket { Payload = "record frame"u8.ToArray(), To = FakeMeshtasticRadio.NeighbourNumber });
        Assert.True(sent.IsSent);
        var packet = (await radio.WaitForAsync(m => m.PayloadVariantCase == ToRadio.PayloadVariantOneofCase.Packet)).Packet;
        Assert.Equal("record frame", packet.Decoded.Payload.ToStringUtf8());

        await radio.SendTextAsync(FakeMeshtasticRadio.NeighbourNumber, FakeMeshtasticRadio.NodeNumber, "help");
        Assert.Equal("help", Encoding.UTF8.GetString((await texts.NextAsync()).Payload.Span));
        Assert.True(link.CurrentCounters!.NoiseBytes > 0, "the radio's debug text came through the tty and was skipped");
    }

    [Fact]
    public void Open_NotATerminal_ThrowsIOException()
    {
        Assert.Throws<IOException>(() => SerialPortStream.Open("/dev/null"));
        Assert.Throws<IOException>(() => SerialPortStream.Open("/dev/does-not-exist-ttyACM9"));
    }

    private sealed partial class PseudoTerminal : IDisposable
    {
        private const int FGetFl = 3;
        private const int FSetFl = 4;
        private SafeFileHandle? _master;
        private readonly SafeFileHandle _slave;

        private PseudoTerminal(SafeFileHandle master, SafeFileHandle slave, string slavePath)
        {
            _master = master;
            _slave = slave;
            SlavePath = slavePath;
        }

        public string SlavePath { get; }

        public static PseudoTerminal Open()
        {
            if (OpenPty(out var master, out var slave, 0, 0, 0) != 0)
            {
                throw new IOException("openpty failed: errno " + Marshal.GetLastPInvokeError());
            }

            var path = new System.IO.FileInfo($"/proc/self/fd/{slave}").LinkTarget ?? throw new IOException("no pts path");
            var masterHandle = new SafeFileHandle(master, ownsHandle: true);
            var slaveHandle = new SafeFileHandle(slave, ownsHandle: true);

            // Raw mode before anything is written, so the line discipline neither echoes nor translates bytes. The
            // test keeps its own slave descriptor open, so the master never sees a hang-up between link connections.
            SerialPortStreamTestAccess.MakeRaw(slaveHandle);
            _ = Fcntl(master, FSetFl, Fcntl(master, FGetFl, 0) | 0x800);
            return new PseudoTerminal(masterHandle, slaveHandle, path);
        }

        public SafeFileHandle TakeMaster()
        {
            var master = _master ?? throw new InvalidOperationException();
            _master = null;
            return master;
        }

        public void Dispose()
        {
            _master?.Dispose();
            _slave.Dispose();
        }

        [LibraryImport("libc", EntryPoint = "openpty", SetLastError = true)]
        private static partial int OpenPty(out int master, out int slave, nint name, nint termios, nint winsize);

        [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        private static partial int Fcntl(int fd, int command, int argument);
    }
}

internal static class SerialPortStreamTestAccess
{
    public static void MakeRaw(SafeFileHandle handle) => Upseed.Meshtastic.Link.PosixTerminal.MakeRaw(handle, 115200);
}

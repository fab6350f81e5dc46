using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Upseed.Meshtastic.Link;

/// <summary>
/// The few libc calls a serial port needs on Linux (System.IO.Ports is not available here): open, termios setup,
/// poll, read, write. Constants and the termios layout are Linux's generic ones (asm-generic/termbits.h), the same on
/// x86-64, arm64 and armhf with glibc.
/// </summary>
internal static partial class PosixTerminal
{
    public const int ORdWr = 0x2;
    public const int ONoCtty = 0x100;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;

    public const short PollIn = 0x1;
    public const short PollOut = 0x4;
    public const short PollErr = 0x8;
    public const short PollHup = 0x10;
    public const short PollNval = 0x20;

    public const int EIntr = 4;
    public const int EIo = 5;
    public const int EAgain = 11;

    // struct termios (glibc, 60 bytes): c_iflag, c_oflag, c_cflag, c_lflag (uint32 each), c_line, c_cc[32], then speeds.
    private const int CFlagOffset = 8;
    private const int CcOffset = 17;
    private const int VTime = 5;
    private const int VMin = 6;
    private const uint CStopB = 0x40;
    private const uint CRead = 0x80;
    private const uint HupCl = 0x400;
    private const uint CLocal = 0x800;
    private const uint CRtsCts = 0x80000000;
    private const int TcsaNow = 0;
    private const nuint TiocExcl = 0x540C;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>Puts a terminal into raw 8N1 mode at <paramref name="baudRate"/>, no flow control, no hang-up on close.</summary>
    /// <exception cref="IOException">A termios call failed (not a terminal, or an unsupported speed).</exception>
    public static unsafe void MakeRaw(SafeFileHandle handle, int baudRate)
    {
        var speed = SpeedConstant(baudRate);
        var termios = stackalloc byte[256];
        var fd = (int)handle.DangerousGetHandle();
        Check(TcGetAttr(fd, termios), "tcgetattr");
        CfMakeRaw(termios);
        ref var cflag = ref *(uint*)(termios + CFlagOffset);

        // 8N1 (cfmakeraw set CS8 and cleared parity), receiver on, modem lines ignored, no RTS/CTS. HUPCL is cleared
        // so that closing the port does not drop DTR: many ESP32 boards reset when it toggles.
        cflag |= CRead | CLocal;
        cflag &= ~(CStopB | CRtsCts | HupCl);
        termios[CcOffset + VMin] = 0;
        termios[CcOffset + VTime] = 0;
        Check(CfSetISpeed(termios, speed), "cfsetispeed");
        Check(CfSetOSpeed(termios, speed), "cfsetospeed");
        Check(TcSetAttr(fd, TcsaNow, termios), "tcsetattr");
    }

    /// <summary>Asks for exclusive use (TIOCEXCL), so a second program cannot open the radio's port meanwhile. Best effort.</summary>
    public static void TryMakeExclusive(SafeFileHandle handle) => _ = IoctlNoArg((int)handle.DangerousGetHandle(), TiocExcl);

    public static void Check(int result, string call)
    {
        if (result < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
    }

    private static uint SpeedConstant(int baudRate) => baudRate switch
    {
        9600 => 0xD,
        19200 => 0xE,
        38400 => 0xF,
        57600 => 0x1001,
        115200 => 0x1002,
        230400 => 0x1003,
        460800 => 0x1004,
        921600 => 0x1007,
        _ => throw new IOException($"Unsupported serial speed {baudRate}."),
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static unsafe partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static unsafe partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static unsafe partial void CfMakeRaw(byte* termios);

    [LibraryImport("libc", EntryPoint = "cfsetispeed", SetLastError = true)]
    private static unsafe partial int CfSetISpeed(byte* termios, uint speed);

    [LibraryImport("libc", EntryPoint = "cfsetospeed", SetLastError = true)]
    private static unsafe partial int CfSetOSpeed(byte* termios, uint speed);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlNoArg(int fd, nuint request);
}

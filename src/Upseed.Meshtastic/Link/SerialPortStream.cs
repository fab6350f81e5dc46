using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Upseed.Meshtastic.Link;

/// <summary>
/// A serial port (or any terminal device) as a <see cref="Stream"/>, on Linux through libc: opened non-blocking,
/// set to raw 8N1, read and written with poll(2) so that reads can be cancelled and a vanished USB device ends the
/// stream (read returns 0) instead of hanging. Blocking waits run on the thread pool, a quarter second at a time.
/// </summary>
public sealed class SerialPortStream : Stream
{
    private const int PollSliceMilliseconds = 250;
    private readonly SafeFileHandle _handle;

    private SerialPortStream(SafeFileHandle handle)
    {
        _handle = handle;
    }

    /// <summary>Opens and configures a serial device (raw, 8N1, no flow control, exclusive).</summary>
    /// <exception cref="IOException">The device could not be opened or is not a terminal.</exception>
    public static SerialPortStream Open(string devicePath, int baudRate = MeshtasticEndpoint.DefaultBaudRate)
    {
        ArgumentException.ThrowIfNullOrEmpty(devicePath);
        if (!OperatingSystem.IsLinux())
        {
            throw new IOException("Serial radios are supported on Linux only.");
        }

        var fd = PosixTerminal.Open(devicePath, PosixTerminal.ORdWr | PosixTerminal.ONoCtty | PosixTerminal.ONonBlock | PosixTerminal.OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open {devicePath}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            PosixTerminal.MakeRaw(handle, baudRate);
            PosixTerminal.TryMakeExclusive(handle);
            return new SerialPortStream(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an open, non-blocking terminal descriptor (a pseudo-terminal in tests); the stream owns it.</summary>
    internal static SerialPortStream FromHandle(SafeFileHandle handle) => new(handle);

    public override bool CanRead => !_handle.IsClosed;

    public override bool CanWrite => !_handle.IsClosed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => ReadCore(buffer, CancellationToken.None);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Task.Run(() => ReadCore(buffer.Span, cancellationToken), cancellationToken));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => WriteCore(buffer, CancellationToken.None);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Frames are at most 516 bytes and the tty's output buffer takes them at once; the poll loop only matters
        // when the device stops draining.
        WriteCore(buffer.Span, cancellationToken);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }

    private unsafe int ReadCore(Span<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var added = false;
        try
        {
            // The reference keeps the descriptor number from being closed and reused while this thread uses it.
            _handle.DangerousAddRef(ref added);
            var fd = (int)_handle.DangerousGetHandle();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_handle.IsClosed)
                {
                    return 0;
                }

                var ready = WaitFor(fd, PosixTerminal.PollIn);
                if (ready < 0)
                {
                    return 0;
                }

                if (ready == 0)
                {
                    continue;
                }

                fixed (byte* p = buffer)
                {
                    var n = PosixTerminal.Read(fd, p, (nuint)buffer.Length);
                    if (n >= 0)
                    {
                        return (int)n;
                    }

                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is PosixTerminal.EAgain or PosixTerminal.EIntr)
                    {
                        continue;
                    }

                    if (errno == PosixTerminal.EIo)
                    {
                        // The device is gone (USB unplugged) or the other end of a pseudo-terminal closed.
                        return 0;
                    }

                    throw new IOException($"Reading the serial port failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private unsafe void WriteCore(ReadOnlySpan<byte> buffer, CancellationToken cancellationToken)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var fd = (int)_handle.DangerousGetHandle();
            while (!buffer.IsEmpty)
            {
                cancellationToken.ThrowIfCancellationRequested();
                nint n;
                fixed (byte* p = buffer)
                {
                    n = PosixTerminal.Write(fd, p, (nuint)buffer.Length);
                }

                if (n > 0)
                {
                    buffer = buffer[(int)n..];
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (n < 0 && errno is not (PosixTerminal.EAgain or PosixTerminal.EIntr))
                {
                    throw new IOException($"Writing to the serial port failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
                }

                if (WaitFor(fd, PosixTerminal.PollOut) < 0)
                {
                    throw new IOException("The serial device went away.");
                }
            }
        }
        catch (ObjectDisposedException ex)
        {
            throw new IOException("The serial port is closed.", ex);
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>1 when ready, 0 on timeout (or a signal), -1 when the device hung up or failed.</summary>
    private static unsafe int WaitFor(int fd, short events)
    {
        var pollFd = new PosixTerminal.PollFd { Fd = fd, Events = events };
        var result = PosixTerminal.Poll(&pollFd, 1, PollSliceMilliseconds);
        if (result < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == PosixTerminal.EIntr ? 0 : -1;
        }

        if (result == 0)
        {
            return 0;
        }

        if ((pollFd.Revents & events) != 0)
        {
            return 1;
        }

        return (pollFd.Revents & (PosixTerminal.PollHup | PosixTerminal.PollErr | PosixTerminal.PollNval)) != 0 ? -1 : 0;
    }
}

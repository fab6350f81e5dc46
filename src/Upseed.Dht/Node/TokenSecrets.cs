using System.Net;
using System.Security.Cryptography;

namespace Upseed.Dht.Node;

/// <summary>Write tokens: SHA-1(IP ‖ secret) truncated, with the secret rotated each period and the previous one still accepted.</summary>
internal sealed class TokenSecrets
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _rotation;
    private readonly int _length;
    private readonly Lock _gate = new();
    private long _epoch = long.MinValue;
    private byte[] _current = [];
    private byte[] _previous = [];

    public TokenSecrets(TimeProvider clock, TimeSpan rotation, int length)
    {
        _clock = clock;
        _rotation = rotation;
        _length = Math.Clamp(length, 4, 20);
    }

    public byte[] Create(IPAddress ip)
    {
        lock (_gate)
        {
            Rotate();
            return Compute(ip, _current);
        }
    }

    public bool IsValid(IPAddress ip, ReadOnlySpan<byte> token)
    {
        lock (_gate)
        {
            Rotate();
            return CryptographicOperations.FixedTimeEquals(token, Compute(ip, _current))
                || CryptographicOperations.FixedTimeEquals(token, Compute(ip, _previous));
        }
    }

    private void Rotate()
    {
        var epoch = _clock.GetUtcNow().UtcTicks / _rotation.Ticks;
        if (epoch == _epoch)
        {
            return;
        }

        _previous = epoch == _epoch + 1 ? _current : RandomNumberGenerator.GetBytes(20);
        _current = RandomNumberGenerator.GetBytes(20);
        _epoch = epoch;
    }

    private byte[] Compute(IPAddress ip, byte[] secret)
    {
        var address = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        var input = new byte[(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16) + secret.Length];
        address.TryWriteBytes(input, out var written);
        secret.CopyTo(input.AsSpan(written));
#pragma warning disable CA5350 // BEP 5 tokens: SHA-1 of IP and a rotating secret; not a security-critical signature.
        return SHA1.HashData(input.AsSpan(0, written + secret.Length))[.._length];
#pragma warning restore CA5350
    }
}

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Upseed.Mqtt.Client;

/// <summary>Opens the byte stream to a broker: TCP, then TLS through <see cref="SslStream"/> for <c>mqtts://</c>. Moves bytes only.</summary>
public static class MqttTransport
{
    /// <summary>Connects; the caller owns the returned stream.</summary>
    /// <exception cref="MqttConnectException">TCP or TLS failed (<see cref="MqttConnectError.Network"/> or <see cref="MqttConnectError.Tls"/>).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<Stream> OpenAsync(MqttEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var client = new TcpClient { NoDelay = true };
        try
        {
            try
            {
                await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new MqttConnectException(MqttConnectError.Network, $"Could not reach the broker at {endpoint}: {ex.Message}.", innerException: ex);
            }

            var network = client.GetStream();
            if (!endpoint.UseTls)
            {
                return new OwningStream(network, client);
            }

            string? rejection = null;
            var ssl = new SslStream(network, leaveInnerStreamOpen: false);
            var authentication = new SslClientAuthenticationOptions
            {
                TargetHost = endpoint.Host,
                ClientCertificates = LoadClientCertificate(endpoint),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    var trusted = Validate(endpoint, certificate, chain, errors, out var reason);
                    rejection = reason;
                    return trusted;
                },
            };
            try
            {
                await ssl.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw new MqttConnectException(MqttConnectError.Tls, $"TLS with {endpoint} failed: {rejection ?? ex.Message}.", innerException: ex);
            }

            return new OwningStream(ssl, client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static X509CertificateCollection? LoadClientCertificate(MqttEndpoint endpoint)
    {
        if (endpoint.ClientCertificateFile is null)
        {
            return null;
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(endpoint.ClientCertificateFile, endpoint.ClientKeyFile);
            return [certificate];
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new MqttConnectException(MqttConnectError.Tls, $"Could not load the client certificate {endpoint.ClientCertificateFile}: {ex.Message}", innerException: ex);
        }
    }

    private static bool Validate(MqttEndpoint endpoint, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, out string? reason)
    {
        reason = null;
        if (certificate is null)
        {
            reason = "the broker sent no certificate";
            return false;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            reason = $"the broker's certificate does not name {endpoint.Host}";
            return false;
        }

        if (endpoint.CaFile is null)
        {
            if (errors != SslPolicyErrors.None)
            {
                reason = $"the broker's certificate is not trusted by the system ({errors}); give a CA file";
            }

            return errors == SslPolicyErrors.None;
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(endpoint.CaFile);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            reason = $"the CA file {endpoint.CaFile} could not be read: {ex.Message}";
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        if (custom.Build(leaf))
        {
            return true;
        }

        reason = "the broker's certificate does not chain to the given CA ("
            + string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim())) + ")";
        return false;
    }

    /// <summary>A stream that also disposes the socket it came from.</summary>
    private sealed class OwningStream(Stream inner, TcpClient client) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                client.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

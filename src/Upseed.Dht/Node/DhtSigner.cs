namespace Upseed.Dht.Node;

/// <summary>
/// Signs the bytes BEP 44 defines for a mutable item (<see cref="Items.MutableItem.SignedBytes"/>) with the Ed25519 key
/// whose public key is put, returning the 64-byte signature. Lets a caller keep the private key elsewhere.
/// </summary>
/// <param name="message">The bytes to sign.</param>
/// <returns>The 64-byte signature.</returns>
public delegate byte[] DhtSigner(ReadOnlySpan<byte> message);

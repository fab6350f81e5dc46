using System.Net;
using Upseed.Crypto;
using Upseed.Dht.Items;
using Upseed.Dht.Krpc;

namespace Upseed.Dht.Node;

/// <summary>BEP 44 items: the storer's <c>get</c>/<c>put</c> answers and the client's iterative get and put.</summary>
public sealed partial class DhtNode
{
    /// <summary>Gets the number of BEP 44 items this node stores for others (expired ones may still be counted).</summary>
    public int StoredItemCount
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Sends one BEP 44 <c>get</c>.</summary>
    /// <param name="to">The node.</param>
    /// <param name="target">The item's target.</param>
    /// <param name="sequence">The seq we already have: a storer whose item is not newer leaves out k, v and sig.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The response: a token, the closest nodes, and the item's fields when stored there.</returns>
    /// <exception cref="TimeoutException">No reply within <see cref="DhtNodeOptions.QueryTimeout"/>.</exception>
    /// <exception cref="DhtQueryException">The node answered with a KRPC error or an unreadable response.</exception>
    public Task<KrpcResponse> GetAsync(IPEndPoint to, NodeId target, long? sequence = null, CancellationToken cancellationToken = default) =>
        SendQueryAsync(to, new GetQuery(Id, target, sequence), cancellationToken);

    /// <summary>Sends one BEP 44 <c>put</c> of an immutable item.</summary>
    /// <param name="to">The node.</param>
    /// <param name="token">The token from that node's <c>get</c> reply.</param>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The response.</returns>
    /// <exception cref="TimeoutException">No reply within <see cref="DhtNodeOptions.QueryTimeout"/>.</exception>
    /// <exception cref="DhtQueryException">The node refused (e.g. 203 bad token, 205 too big).</exception>
    public Task<KrpcResponse> PutAsync(IPEndPoint to, ReadOnlyMemory<byte> token, ImmutableItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return SendQueryAsync(to, new PutQuery(Id, token, item.Value, default, default, 0, default, null), cancellationToken);
    }

    /// <summary>Sends one BEP 44 <c>put</c> of a signed mutable item.</summary>
    /// <param name="to">The node.</param>
    /// <param name="token">The token from that node's <c>get</c> reply.</param>
    /// <param name="item">The signed item.</param>
    /// <param name="cas">The seq we expect the node to hold (compare-and-swap); null for none.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The response.</returns>
    /// <exception cref="TimeoutException">No reply within <see cref="DhtNodeOptions.QueryTimeout"/>.</exception>
    /// <exception cref="DhtQueryException">The node refused (203, 205, 206, 207, 301 cas mismatch, 302 seq too low).</exception>
    public Task<KrpcResponse> PutAsync(
        IPEndPoint to, ReadOnlyMemory<byte> token, MutableItem item, long? cas = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return SendQueryAsync(
            to, new PutQuery(Id, token, item.Value, item.PublicKey, item.Salt, item.Sequence, item.Signature, cas), cancellationToken);
    }

    /// <summary>
    /// Finds an immutable item: an iterative <c>get</c> that stops at the first response whose value hashes to
    /// <paramref name="target"/> (BEP 44: requesters re-hash to verify).
    /// </summary>
    /// <param name="target">SHA-1 of the bencoded value.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The item, or null when no node had it.</returns>
    public async Task<ImmutableItem?> GetImmutableItemAsync(NodeId target, CancellationToken cancellationToken = default) =>
        (await LookupImmutableItemAsync(target, stopWhenFound: true, cancellationToken)).Item;

    /// <summary>Finds an immutable item and reports the lookup (hops, messages, closest nodes with tokens).</summary>
    /// <param name="target">SHA-1 of the bencoded value.</param>
    /// <param name="stopWhenFound">End the lookup at the first verified copy (false: visit the K closest nodes).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The item (null when not found), how many copies were seen, and the lookup.</returns>
    public async Task<DhtItemLookup<ImmutableItem>> LookupImmutableItemAsync(
        NodeId target, bool stopWhenFound = false, CancellationToken cancellationToken = default)
    {
        ImmutableItem? found = null;
        var copies = 0;
        var lookup = await LookupCoreAsync(
            target,
            (to, ct) => GetAsync(to, target, null, ct),
            (_, response) =>
            {
                if (response.Value.IsEmpty
                    || ImmutableItem.ComputeTarget(response.Value.Span) != target
                    || !ImmutableItem.IsValidValue(response.Value))
                {
                    return LookupSignal.Continue;
                }

                copies++;
                found ??= new ImmutableItem(response.Value.ToArray());
                return stopWhenFound ? LookupSignal.Stop : LookupSignal.Found;
            },
            [],
            cancellationToken);
        return new DhtItemLookup<ImmutableItem>(found, copies, lookup);
    }

    /// <summary>
    /// Finds a mutable item: an iterative <c>get</c> of SHA-1(k ‖ salt) over the K closest nodes, keeping the highest
    /// seq whose signature verifies under <paramref name="publicKey"/> (BEP 44: requesters verify). The value is the
    /// raw bencoded <c>v</c>; <see cref="DhtValue.TryGetString"/> reads a bencoded string.
    /// </summary>
    /// <param name="publicKey">The 32-byte Ed25519 public key.</param>
    /// <param name="salt">The salt (at most 64 bytes); empty for none.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The newest verified item, or null when no node had a valid one.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes or the salt is over 64 bytes.</exception>
    public async Task<MutableItem?> GetMutableItemAsync(
        ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt = default, CancellationToken cancellationToken = default) =>
        (await LookupMutableItemAsync(publicKey, salt, null, cancellationToken)).Item;

    /// <summary>Finds a mutable item and reports the lookup (hops, messages, closest nodes with tokens).</summary>
    /// <param name="publicKey">The 32-byte Ed25519 public key.</param>
    /// <param name="salt">The salt (at most 64 bytes); empty for none.</param>
    /// <param name="sequence">The seq the caller already has: storers holding nothing newer send no value.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The newest verified item (null when none), how many valid copies were seen, and the lookup.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes or the salt is over 64 bytes.</exception>
    public async Task<DhtItemLookup<MutableItem>> LookupMutableItemAsync(
        ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt = default, long? sequence = null, CancellationToken cancellationToken = default)
    {
        CheckKeyAndSalt(publicKey, salt);
        var key = publicKey.ToArray();
        var saltCopy = salt.ToArray();
        var target = MutableItem.ComputeTarget(key, saltCopy);
        MutableItem? best = null;
        var copies = 0;
        var lookup = await LookupCoreAsync(
            target,
            (to, ct) => GetAsync(to, target, sequence, ct),
            (_, response) =>
            {
                if (response.Value.IsEmpty
                    || response.Sequence is not { } seq
                    || seq < 0
                    || !response.PublicKey.Span.SequenceEqual(key)
                    || response.Signature.Length != ItemLimits.SignatureSize
                    || !ImmutableItem.IsValidValue(response.Value)
                    || !Ed25519.Verify(key, MutableItem.SignedBytes(saltCopy, seq, response.Value.Span), response.Signature.Span))
                {
                    return LookupSignal.Continue;
                }

                copies++;
                if (best is null || seq > best.Sequence)
                {
                    best = new MutableItem(key, saltCopy, seq, response.Value.ToArray(), response.Signature.ToArray());
                }

                return LookupSignal.Found;
            },
            [],
            cancellationToken);
        return new DhtItemLookup<MutableItem>(best, copies, lookup);
    }

    /// <summary>
    /// Stores an immutable item: an iterative <c>get</c> of SHA-1(v) to collect write tokens, then <c>put</c> to the
    /// K closest nodes that gave one.
    /// </summary>
    /// <param name="bencodedValue">The value: canonical bencode, at most 1000 bytes (see <see cref="DhtValue"/>).</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    /// <returns>The target and how many nodes stored the item.</returns>
    /// <exception cref="ArgumentException">The value is not one canonical bencoded value of at most 1000 bytes.</exception>
    public async Task<DhtPutResult> PutImmutableItemAsync(ReadOnlyMemory<byte> bencodedValue, CancellationToken cancellationToken = default)
    {
        if (!ImmutableItem.IsValidValue(bencodedValue))
        {
            throw new ArgumentException(
                $"A DHT value is one canonical bencoded value of at most {ItemLimits.MaxValueSize} bytes.", nameof(bencodedValue));
        }

        var item = new ImmutableItem(bencodedValue.ToArray());
        var lookup = await LookupImmutableItemAsync(item.Target, stopWhenFound: false, cancellationToken);
        return await PutToClosestAsync(
            item.Target, -1, lookup.Lookup, (to, token, ct) => PutAsync(to, token, item, ct), cancellationToken);
    }

    /// <summary>Signs and stores a mutable item with a libsodium key pair; see the <see cref="DhtSigner"/> overload.</summary>
    /// <param name="key">The Ed25519 key pair.</param>
    /// <param name="salt">The salt (at most 64 bytes); empty for none.</param>
    /// <param name="bencodedValue">The value: canonical bencode, at most 1000 bytes (see <see cref="DhtValue"/>).</param>
    /// <param name="sequence">The seq to put; null for one more than the newest found (1 when none).</param>
    /// <param name="cas">Compare-and-swap: the seq the storers must hold; null for none.</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    /// <returns>The target, the seq put and how many nodes stored it.</returns>
    /// <exception cref="ArgumentException">The salt or value is over a BEP 44 limit, or the value is not canonical bencode.</exception>
    public Task<DhtPutResult> PutMutableItemAsync(
        Ed25519KeyPair key,
        ReadOnlyMemory<byte> salt,
        ReadOnlyMemory<byte> bencodedValue,
        long? sequence = null,
        long? cas = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return PutMutableItemAsync(key.PublicKey, message => key.Sign(message), salt, bencodedValue, sequence, cas, cancellationToken);
    }

    /// <summary>
    /// Stores a mutable item (BEP 44): an iterative <c>get</c> of SHA-1(k ‖ salt) that collects write tokens and the
    /// newest seq, then signs <c>[4:salt…]3:seqi…e1:v…</c> with <paramref name="sign"/> and puts it to the K closest
    /// nodes that gave a token.
    /// </summary>
    /// <param name="publicKey">The 32-byte Ed25519 public key.</param>
    /// <param name="sign">Signs the BEP 44 signed bytes with the matching private key.</param>
    /// <param name="salt">The salt (at most 64 bytes); empty for none.</param>
    /// <param name="bencodedValue">The value: canonical bencode, at most 1000 bytes (see <see cref="DhtValue"/>).</param>
    /// <param name="sequence">The seq to put; null for one more than the newest found (1 when none).</param>
    /// <param name="cas">Compare-and-swap: the seq the storers must hold; null for none.</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    /// <returns>The target, the seq put and how many nodes stored it (storers holding a newer seq answer 302).</returns>
    /// <exception cref="ArgumentException">
    /// A field is over a BEP 44 limit, the value is not canonical bencode, or the signer's signature does not verify.
    /// </exception>
    public async Task<DhtPutResult> PutMutableItemAsync(
        ReadOnlyMemory<byte> publicKey,
        DhtSigner sign,
        ReadOnlyMemory<byte> salt,
        ReadOnlyMemory<byte> bencodedValue,
        long? sequence = null,
        long? cas = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sign);
        CheckKeyAndSalt(publicKey, salt);
        if (!ImmutableItem.IsValidValue(bencodedValue))
        {
            throw new ArgumentException(
                $"A DHT value is one canonical bencoded value of at most {ItemLimits.MaxValueSize} bytes.", nameof(bencodedValue));
        }

        if (sequence is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), "seq is not negative.");
        }

        var lookup = await LookupMutableItemAsync(publicKey, salt, null, cancellationToken);
        var seq = sequence ?? (lookup.Item is { } newest ? newest.Sequence + 1 : 1);
        var value = bencodedValue.ToArray();
        var saltCopy = salt.ToArray();
        var item = new MutableItem(publicKey.ToArray(), saltCopy, seq, value, sign(MutableItem.SignedBytes(saltCopy, seq, value)));
        if (!item.VerifySignature())
        {
            throw new ArgumentException("The signer's signature does not verify under the public key.", nameof(sign));
        }

        return await PutToClosestAsync(
            item.Target, seq, lookup.Lookup, (to, token, ct) => PutAsync(to, token, item, cas, ct), cancellationToken);
    }

    /// <summary>
    /// Re-puts an already signed mutable item (BEP 44: anyone may republish it; owners re-put hourly so it outlives
    /// the storers' expiry).
    /// </summary>
    /// <param name="item">The signed item.</param>
    /// <param name="cas">Compare-and-swap: the seq the storers must hold; null for none.</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    /// <returns>The target, the seq put and how many nodes stored it.</returns>
    public async Task<DhtPutResult> PutMutableItemAsync(MutableItem item, long? cas = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var lookup = await LookupMutableItemAsync(item.PublicKey, item.Salt, null, cancellationToken);
        return await PutToClosestAsync(
            item.Target, item.Sequence, lookup.Lookup, (to, token, ct) => PutAsync(to, token, item, cas, ct), cancellationToken);
    }

    private static void CheckKeyAndSalt(ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt)
    {
        if (publicKey.Length != ItemLimits.PublicKeySize)
        {
            throw new ArgumentException("k is a 32-byte Ed25519 public key.", nameof(publicKey));
        }

        if (salt.Length > ItemLimits.MaxSaltSize)
        {
            throw new ArgumentException($"salt is at most {ItemLimits.MaxSaltSize} bytes (BEP 44).", nameof(salt));
        }
    }

    private async Task<DhtPutResult> PutToClosestAsync(
        NodeId target,
        long sequence,
        DhtLookupResult lookup,
        Func<IPEndPoint, ReadOnlyMemory<byte>, CancellationToken, Task<KrpcResponse>> put,
        CancellationToken cancellationToken)
    {
        var storers = lookup.Closest.Where(c => !c.Token.IsEmpty).Take(_options.K).ToList();
        var errors = new List<KrpcError>();
        var outcomes = await Task.WhenAll(storers.Select(async storer =>
        {
            try
            {
                await put(storer.Node.EndPoint, storer.Token, cancellationToken);
                return (KrpcError?)null;
            }
            catch (DhtQueryException e)
            {
                return e.Error;
            }
            catch (Exception e) when (e is TimeoutException or ObjectDisposedException)
            {
                return new KrpcError(KrpcErrorCode.Generic, "no reply");
            }
        }));
        errors.AddRange(outcomes.OfType<KrpcError>());
        return new DhtPutResult(target, sequence, outcomes.Count(o => o is null), storers.Count, errors, lookup);
    }

    private KrpcResponse AnswerGet(GetQuery query, IPEndPoint from, DateTimeOffset now)
    {
        // BEP 44: a get reply always carries a write token and the closest nodes, whether or not the item is here.
        var response = WithNodes(new KrpcResponse(Id) { Token = _tokens.Create(from.Address) }, query.Target, from);
        StoredItem item;
        bool found;
        lock (_gate)
        {
            found = _items.TryGet(query.Target, now, out item);
        }

        if (!found)
        {
            return response;
        }

        if (!item.IsMutable)
        {
            return response with { Value = item.Value };
        }

        // BEP 44: when the requester's seq is not older than ours, k, v and sig SHOULD be left out.
        if (query.Sequence is { } known && item.Sequence <= known)
        {
            return response with { Sequence = item.Sequence };
        }

        return response with
        {
            PublicKey = item.PublicKey,
            Signature = item.Signature,
            Sequence = item.Sequence,
            Value = item.Value,
        };
    }

    private KrpcError? AnswerPut(PutQuery put, IPEndPoint from, DateTimeOffset now)
    {
        // The codec already answered 205 (v over 1000 bytes), 207 (salt over 64 bytes) and 203 (non-canonical v).
        if (!_tokens.IsValid(from.Address, put.Token.Span))
        {
            return new KrpcError(KrpcErrorCode.Protocol, "Protocol Error: bad token");
        }

        ItemStoreOutcome outcome;
        if (!put.IsMutable)
        {
            // BEP 44: an immutable item's target is SHA-1 of its bencoded value; the storer derives it, never trusts it.
            var target = ImmutableItem.ComputeTarget(put.Value.Span);
            lock (_gate)
            {
                outcome = _items.PutImmutable(target, put.Value.Span, now);
            }
        }
        else
        {
            if (put.Sequence < 0)
            {
                return new KrpcError(KrpcErrorCode.Protocol, "Protocol Error: seq is negative");
            }

            // BEP 44: the storer MUST verify the signature before storing.
            if (!Ed25519.Verify(put.PublicKey.Span, MutableItem.SignedBytes(put.Salt.Span, put.Sequence, put.Value.Span), put.Signature.Span))
            {
                return new KrpcError(KrpcErrorCode.InvalidSignature, "invalid signature");
            }

            var target = MutableItem.ComputeTarget(put.PublicKey.Span, put.Salt.Span);
            lock (_gate)
            {
                outcome = _items.PutMutable(target, put.PublicKey.Span, put.Signature.Span, put.Sequence, put.Value.Span, put.Cas, now);
            }
        }

        return outcome switch
        {
            ItemStoreOutcome.CasMismatch => new KrpcError(KrpcErrorCode.CasMismatch, "CAS mismatch, re-read value and try again"),
            ItemStoreOutcome.SequenceTooLow => new KrpcError(KrpcErrorCode.SequenceTooLow, "sequence number less than current"),
            ItemStoreOutcome.Full => new KrpcError(KrpcErrorCode.Server, "Server Error: item store full"),
            _ => null,
        };
    }
}

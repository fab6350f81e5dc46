using System.Runtime.InteropServices;
using Upseed.Dht.Items;

namespace Upseed.Dht.Node;

/// <summary>
/// BEP 44 items this node stores for others, bounded in count, each expiring unless re-put. Memory-conscious: one
/// dictionary entry of value type and one byte array per item (the value, or k ‖ sig ‖ v for a mutable item), so an
/// item costs its bytes plus about 80 bytes of bookkeeping. Not thread-safe: the node calls it under its lock.
/// </summary>
internal sealed class ItemStore
{
    private const int KeySize = ItemLimits.PublicKeySize;
    private const int SignatureSize = ItemLimits.SignatureSize;
    private const long Immutable = -1;

    private readonly Dictionary<NodeId, Entry> _items = [];
    private readonly NodeId _ownId;
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;
    private DateTimeOffset _nextPurge;

    public ItemStore(NodeId ownId, int capacity, TimeSpan lifetime)
    {
        _ownId = ownId;
        _capacity = Math.Max(0, capacity);
        _lifetime = lifetime;
    }

    public int Count => _items.Count;

    /// <summary>The stored item under <paramref name="target"/> unless it has expired.</summary>
    public bool TryGet(NodeId target, DateTimeOffset now, out StoredItem item)
    {
        item = default;
        if (!_items.TryGetValue(target, out var entry))
        {
            return false;
        }

        if (entry.ExpiresTicks <= now.UtcTicks)
        {
            _items.Remove(target);
            return false;
        }

        item = new StoredItem(entry.Sequence, entry.Data);
        return true;
    }

    /// <summary>Stores an immutable value under its target (the caller has checked target = SHA-1(v)).</summary>
    public ItemStoreOutcome PutImmutable(NodeId target, ReadOnlySpan<byte> value, DateTimeOffset now)
    {
        ref var existing = ref CollectionsMarshal.GetValueRefOrNullRef(_items, target);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref existing))
        {
            // Same target, same bytes (SHA-1): re-putting only refreshes the timer (BEP 44).
            existing.ExpiresTicks = (now + _lifetime).UtcTicks;
            return ItemStoreOutcome.Refreshed;
        }

        if (!MakeRoom(target, now))
        {
            return ItemStoreOutcome.Full;
        }

        _items[target] = new Entry { ExpiresTicks = (now + _lifetime).UtcTicks, Sequence = Immutable, Data = value.ToArray() };
        return ItemStoreOutcome.Stored;
    }

    /// <summary>
    /// Stores a mutable item whose signature the caller has verified, applying BEP 44's rules against the stored one:
    /// a <paramref name="cas"/> that differs from the stored seq is a mismatch (301); a lower seq, or an equal seq with
    /// another value, is rejected (302); an equal seq with the same value only refreshes the timer.
    /// </summary>
    public ItemStoreOutcome PutMutable(
        NodeId target,
        ReadOnlySpan<byte> publicKey,
        ReadOnlySpan<byte> signature,
        long sequence,
        ReadOnlySpan<byte> value,
        long? cas,
        DateTimeOffset now)
    {
        ref var existing = ref CollectionsMarshal.GetValueRefOrNullRef(_items, target);
        var expires = (now + _lifetime).UtcTicks;
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref existing) && existing.ExpiresTicks > now.UtcTicks)
        {
            if (existing.Sequence == Immutable)
            {
                return ItemStoreOutcome.SequenceTooLow;
            }

            // BEP 44: cas is ignored when nothing is stored; otherwise it must equal the stored seq.
            if (cas is { } expected && expected != existing.Sequence)
            {
                return ItemStoreOutcome.CasMismatch;
            }

            if (sequence < existing.Sequence)
            {
                return ItemStoreOutcome.SequenceTooLow;
            }

            if (sequence == existing.Sequence)
            {
                if (!existing.Data.AsSpan(KeySize + SignatureSize).SequenceEqual(value))
                {
                    return ItemStoreOutcome.SequenceTooLow;
                }

                existing.ExpiresTicks = expires;
                return ItemStoreOutcome.Refreshed;
            }

            existing.Sequence = sequence;
            existing.ExpiresTicks = expires;
            existing.Data = Pack(publicKey, signature, value);
            return ItemStoreOutcome.Stored;
        }

        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref existing) && !MakeRoom(target, now))
        {
            return ItemStoreOutcome.Full;
        }

        _items[target] = new Entry { ExpiresTicks = expires, Sequence = sequence, Data = Pack(publicKey, signature, value) };
        return ItemStoreOutcome.Stored;
    }

    /// <summary>Drops expired items.</summary>
    public void Purge(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        foreach (var (target, entry) in _items)
        {
            if (entry.ExpiresTicks <= ticks)
            {
                _items.Remove(target);
            }
        }

        _nextPurge = now + TimeSpan.FromMinutes(1);
    }

    private static byte[] Pack(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> value)
    {
        var data = new byte[KeySize + SignatureSize + value.Length];
        publicKey.CopyTo(data);
        signature.CopyTo(data.AsSpan(KeySize));
        value.CopyTo(data.AsSpan(KeySize + SignatureSize));
        return data;
    }

    // A full store first drops expired items (at most once a minute), then gives up the item farthest from our id if
    // the newcomer is closer: a Kademlia node is responsible for the targets near its own id.
    private bool MakeRoom(NodeId target, DateTimeOffset now)
    {
        if (_items.Count < _capacity)
        {
            return true;
        }

        if (_capacity == 0)
        {
            return false;
        }

        if (now >= _nextPurge)
        {
            Purge(now);
            if (_items.Count < _capacity)
            {
                return true;
            }
        }

        var farthest = default(NodeId);
        var farthestDistance = default(NodeId);
        var any = false;
        foreach (var key in _items.Keys)
        {
            var distance = key.Xor(_ownId);
            if (!any || distance > farthestDistance)
            {
                farthest = key;
                farthestDistance = distance;
                any = true;
            }
        }

        if (!any || target.Xor(_ownId) >= farthestDistance)
        {
            return false;
        }

        _items.Remove(farthest);
        return true;
    }

    private struct Entry
    {
        public long ExpiresTicks;
        public long Sequence;
        public byte[] Data;
    }
}

/// <summary>What <see cref="ItemStore"/> did with a put.</summary>
internal enum ItemStoreOutcome
{
    Stored,
    Refreshed,
    CasMismatch,
    SequenceTooLow,
    Full,
}

/// <summary>A view of one stored item; its memory is the store's and is never written after it is stored.</summary>
internal readonly struct StoredItem
{
    private readonly byte[] _data;

    public StoredItem(long sequence, byte[] data)
    {
        Sequence = sequence;
        _data = data;
    }

    public bool IsMutable => Sequence >= 0;

    /// <summary>seq of a mutable item; -1 for an immutable one.</summary>
    public long Sequence { get; }

    public ReadOnlyMemory<byte> PublicKey => IsMutable ? _data.AsMemory(0, ItemLimits.PublicKeySize) : default;

    public ReadOnlyMemory<byte> Signature =>
        IsMutable ? _data.AsMemory(ItemLimits.PublicKeySize, ItemLimits.SignatureSize) : default;

    public ReadOnlyMemory<byte> Value =>
        IsMutable ? _data.AsMemory(ItemLimits.PublicKeySize + ItemLimits.SignatureSize) : _data;
}

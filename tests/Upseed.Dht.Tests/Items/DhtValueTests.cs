using System.Text;
using Upseed.Dht.Items;
using Upseed.Dht.Node;

namespace Upseed.Dht.Tests.Items;

public class DhtValueTests
{
    [Fact]
    public void FromString_IsABencodedString_AndReadsBack()
    {
        var value = DhtValue.FromString("Hello World!");

        Assert.Equal("12:Hello World!", Encoding.ASCII.GetString(value));
        Assert.True(DhtValue.TryGetString(value, out var text));
        Assert.Equal("Hello World!", text);
        Assert.Equal("e5f96f6f38320f0f33959cb4d3d656452117aadb", ImmutableItem.ComputeTarget(value).ToString());
    }

    [Fact]
    public void TryGetString_RefusesNonStringsAndInvalidUtf8()
    {
        Assert.False(DhtValue.TryGetString("i5e"u8.ToArray(), out _));
        Assert.False(DhtValue.TryGetString("d1:bi1e1:ai2ee"u8.ToArray(), out _));
        Assert.False(DhtValue.TryGetString("2:\xff\xfe"u8.ToArray(), out _));
        Assert.False(DhtValue.TryGetString(default, out _));
        Assert.True(DhtValue.TryGetBytes(DhtValue.FromBytes([0xff, 0xfe]), out var bytes));
        Assert.Equal(new byte[] { 0xff, 0xfe }, bytes.ToArray());
    }

    [Fact]
    public void FromBytes_OverTheLimit_Throws()
    {
        Assert.Equal(1000, DhtValue.FromBytes(new byte[996]).Length);
        Assert.Throws<ArgumentException>(() => DhtValue.FromBytes(new byte[997]));
    }

    [Fact]
    public void TorrentPointer_RoundTrips_AndIgnoresExtraKeys()
    {
        var ih = Convert.FromHexString("0123456789abcdef0123456789abcdef01234567");

        var value = TorrentPointer.Encode(ih);

        Assert.Equal("d2:ih20:"u8.ToArray().Concat(ih).Append((byte)'e').ToArray(), value);
        Assert.True(TorrentPointer.TryDecode(value, out var decoded));
        Assert.Equal(ih, decoded.ToArray());
        var withPrev = "d2:ih20:"u8.ToArray().Concat(ih).Concat("4:prev3:abce"u8.ToArray()).ToArray();
        Assert.True(TorrentPointer.TryDecode(withPrev, out _));
        Assert.False(TorrentPointer.TryDecode("d2:ih3:abce"u8.ToArray(), out _));
        Assert.False(TorrentPointer.TryDecode(DhtValue.FromString("x"), out _));
        Assert.Throws<ArgumentException>(() => TorrentPointer.Encode(new byte[19]));
    }

    [Fact]
    public void ItemStore_Full_EvictsFarthestForCloser_RefusesFarther()
    {
        var own = new NodeId(new byte[20]);
        var store = new ItemStore(own, capacity: 2, TimeSpan.FromHours(2));
        var now = DateTimeOffset.UnixEpoch;
        NodeId Id(byte first) => new([first, .. new byte[19]]);

        Assert.Equal(ItemStoreOutcome.Stored, store.PutImmutable(Id(0x10), "1:a"u8, now));
        Assert.Equal(ItemStoreOutcome.Stored, store.PutImmutable(Id(0x80), "1:b"u8, now));
        Assert.Equal(ItemStoreOutcome.Full, store.PutImmutable(Id(0xF0), "1:c"u8, now));
        Assert.Equal(ItemStoreOutcome.Stored, store.PutImmutable(Id(0x01), "1:d"u8, now));

        Assert.Equal(2, store.Count);
        Assert.False(store.TryGet(Id(0x80), now, out _));
        Assert.True(store.TryGet(Id(0x01), now, out var item));
        Assert.False(item.IsMutable);
        Assert.Equal("1:d"u8.ToArray(), item.Value.ToArray());

        // After expiry the room is reclaimed for anyone.
        Assert.Equal(ItemStoreOutcome.Stored, store.PutImmutable(Id(0xF0), "1:c"u8, now + TimeSpan.FromHours(3)));
    }
}

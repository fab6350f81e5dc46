namespace Upseed.Dht.Tests;

public class NodeIdTests
{
    [Fact]
    public void Xor_OfItself_IsZeroAndCommonPrefixIs160()
    {
        var id = NodeId.Random();

        Assert.Equal(new NodeId(new byte[20]), id.Xor(id));
        Assert.Equal(160, id.CommonPrefixLength(id));
    }

    [Fact]
    public void CommonPrefixLength_FirstDifferingBit_IsCounted()
    {
        var zero = new NodeId(new byte[20]);
        var bytes = new byte[20];
        bytes[2] = 0x10; // bit 19 from the top

        Assert.Equal(19, zero.CommonPrefixLength(new NodeId(bytes)));
    }
}

using System.Text;
using Upseed.Dht.Items;

namespace Upseed.Dht.Tests.Items;

public class ItemTests
{
    // BEP 44 "test vectors" (PROTOCOLS.md §2.4).
    private const string PublicKey = "77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548";
    private static readonly byte[] s_helloWorld = Encoding.ASCII.GetBytes("12:Hello World!");

    [Fact]
    public void Bep44Test1_NoSalt_TargetAndSignature()
    {
        var item = new MutableItem(
            Convert.FromHexString(PublicKey),
            ReadOnlyMemory<byte>.Empty,
            1,
            s_helloWorld,
            Convert.FromHexString("305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01"));

        Assert.Equal("4a533d47ec9c7d95b1ad75f576cffc641853b750", item.Target.ToString());
        Assert.Equal("3:seqi1e1:v12:Hello World!", Encoding.ASCII.GetString(MutableItem.SignedBytes([], 1, s_helloWorld)));
        Assert.True(item.VerifySignature());
    }

    [Fact]
    public void Bep44Test2_Salt_TargetAndSignature()
    {
        var item = new MutableItem(
            Convert.FromHexString(PublicKey),
            Encoding.ASCII.GetBytes("foobar"),
            1,
            s_helloWorld,
            Convert.FromHexString("6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17ddf9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08"));

        Assert.Equal("411eba73b6f087ca51a3795d9c8c938d365e32c1", item.Target.ToString());
        Assert.Equal(
            "4:salt6:foobar3:seqi1e1:v12:Hello World!",
            Encoding.ASCII.GetString(MutableItem.SignedBytes("foobar"u8, 1, s_helloWorld)));
        Assert.True(item.VerifySignature());
        Assert.False((item with { }).Equals(null));
    }

    [Fact]
    public void Bep44Test2_WrongSequence_DoesNotVerify()
    {
        var item = new MutableItem(
            Convert.FromHexString(PublicKey),
            Encoding.ASCII.GetBytes("foobar"),
            2,
            s_helloWorld,
            Convert.FromHexString("6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17ddf9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08"));

        Assert.False(item.VerifySignature());
    }

    [Fact]
    public void Bep44Test3_ImmutableTarget()
    {
        Assert.Equal("e5f96f6f38320f0f33959cb4d3d656452117aadb", ImmutableItem.ComputeTarget(s_helloWorld).ToString());
        Assert.Equal("e5f96f6f38320f0f33959cb4d3d656452117aadb", new ImmutableItem(s_helloWorld).Target.ToString());
    }

    // BEP 46 vectors (PROTOCOLS.md §2.5).
    [Theory]
    [InlineData("", "cc3f9d90b572172053626f9980ce261a850d050b")]
    [InlineData("6e", "59ee7c2cb9b4f7eb1986ee2d18fd2fdb8a56554f")]
    public void Bep46Targets(string saltHex, string target)
    {
        var key = Convert.FromHexString("8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e");

        Assert.Equal(target, MutableItem.ComputeTarget(key, Convert.FromHexString(saltHex)).ToString());
    }

    [Fact]
    public void Create_SignsAndVerifies()
    {
        var key = Upseed.Crypto.Ed25519.FromSeed(new byte[32]);

        var item = MutableItem.Create(key, "s"u8.ToArray(), 7, s_helloWorld);

        Assert.True(item.VerifySignature());
    }

    [Fact]
    public void Limits_AreEnforced()
    {
        var key = new byte[32];
        var sig = new byte[64];
        Assert.Throws<ArgumentException>(() => new MutableItem(key, new byte[65], 1, s_helloWorld, sig));
        Assert.Throws<ArgumentException>(() => new MutableItem(key, default, 1, new byte[1001], sig));
        Assert.Throws<ArgumentException>(() => new MutableItem(new byte[31], default, 1, s_helloWorld, sig));
        Assert.Throws<ArgumentException>(() => new ImmutableItem(new byte[1001]));
        Assert.True(ImmutableItem.IsValidValue(s_helloWorld));
        Assert.False(ImmutableItem.IsValidValue("d1:bi1e1:ai2ee"u8.ToArray()));
    }
}

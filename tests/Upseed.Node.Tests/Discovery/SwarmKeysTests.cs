using System.Security.Cryptography;
using System.Text;
using Upseed.Node.Discovery;

namespace Upseed.Node.Tests.Discovery;

public sealed class SwarmKeysTests
{
    [Fact]
    public void Community_IsSha1OfTheDomainPrefixAZeroByteAndTheName()
    {
        // Computed with Python: hashlib.sha1(b'upseed-community-v1\x00gardening').hexdigest()
        Assert.Equal("393403e6f0502deae6076525c875a1d9b843ad15", SwarmKeys.Community("gardening").ToHex());
    }

    [Fact]
    public void Community_DiffersPerNameAndFromTheBareNamesHash()
    {
        Assert.NotEqual(SwarmKeys.Community("gardening"), SwarmKeys.Community("cooking"));
        Assert.NotEqual(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("gardening"))), SwarmKeys.Community("gardening").ToHex());
    }
}

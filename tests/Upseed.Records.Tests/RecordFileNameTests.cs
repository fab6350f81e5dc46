using FsCheck;
using FsCheck.Fluent;
using static Upseed.Records.Tests.RecordKit;

namespace Upseed.Records.Tests;

public class RecordFileNameTests
{
    // Fixed FsCheck seed, so every run checks the same cases.
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(0x5eed_1234UL, 0x9e37_79b9_7f4a_7c15UL);

    [Fact]
    public void For_Post_IsKindCommunitySlugAuthorAndTime()
    {
        var name = RecordFileName.For(RecordKind.Post, Alice.PublicKey.Span, 1_763_781_234, "gardening", "First tomatoes!");

        Assert.Equal($"post-gardening-first-tomatoes-{Alice.PublicKeyHex[..8]}-1763781234.upseed", name);
    }

    [Fact]
    public void For_Identity_HasNoTime()
    {
        var name = RecordFileName.For(RecordKind.Identity, Alice.PublicKey.Span, 1_763_781_234, null, "Alice B.");

        Assert.Equal($"identity-alice-b-{Alice.PublicKeyHex[..8]}.upseed", name);
    }

    [Fact]
    public void For_PostWithoutTitle_IsAComment()
    {
        var name = RecordFileName.For(RecordKind.Post, Alice.PublicKey.Span, 5, "gardening", null);

        Assert.Equal($"comment-gardening-{Alice.PublicKeyHex[..8]}-5.upseed", name);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("!!!", "")]
    [InlineData("  Hello,  World!  ", "hello-world")]
    [InlineData("Ça va? 日本 ok", "a-va-ok")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    public void Slug_Text_KeepsAsciiLettersAndDigits(string text, string expected)
    {
        Assert.Equal(expected, RecordFileName.Slug(text));
    }

    [Fact]
    public void Slug_AnyText_IsLowercaseAsciiWithoutEdgeDashesAndAtMost40()
    {
        Prop.ForAll<string>(text =>
        {
            var slug = RecordFileName.Slug(text);
            return slug.Length <= 40
                && slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
                && !slug.StartsWith('-') && !slug.EndsWith('-')
                && !slug.Contains("--", StringComparison.Ordinal)
                && slug == RecordFileName.Slug(text);
        }).Check(s_config);
    }

    [Fact]
    public void For_AnyTitle_IsAsciiDeterministicAndAUsableFileName()
    {
        Prop.ForAll<string, long>((title, created) =>
        {
            var name = RecordFileName.For(RecordKind.Post, Alice.PublicKey.Span, created, "gardening", title);
            return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
                && name.EndsWith(RecordFileName.Extension, StringComparison.Ordinal)
                && name.Length < 255
                && name == RecordFileName.For(RecordKind.Post, Alice.PublicKey.Span, created, "gardening", title);
        }).Check(s_config);
    }
}

using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Upseed.Records.Tests;

public class TextRulesTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(1000).WithReplay(0x7e57_0001UL, 0x9e37_79b9_7f4a_7c15UL);

    [Theory]
    [InlineData("plain")]
    [InlineData("Ünïcødé 🍅 日本語")]
    [InlineData("")]
    public void Check_OrdinaryText_IsNull(string text)
    {
        Assert.Null(TextRules.Check(text, "body", 100, multiline: false, allowEmpty: true));
    }

    [Theory]
    [InlineData("a\nb", true, null)]
    [InlineData("a\tb", true, null)]
    [InlineData("a\nb", false, RejectReason.InvalidText)]
    [InlineData("a\tb", false, RejectReason.InvalidText)]
    [InlineData("a\r\nb", true, RejectReason.InvalidText)]
    public void Check_NewlineAndTab_OnlyInMultiline(string text, bool multiline, RejectReason? expected)
    {
        Assert.Equal(expected, TextRules.Check(text, "field", 100, multiline, allowEmpty: false)?.Reason);
    }

    [Fact]
    public void TryReadText_InvalidUtf8_RejectsInvalidText()
    {
        Assert.False(TextRules.TryReadText([0x61, 0xFE, 0x62], "body", 100, true, false, out _, out var rejection));

        Assert.Equal(RejectReason.InvalidText, rejection.Reason);
        Assert.Contains("UTF-8", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadText_EmptyWhenNotAllowed_RejectsInvalidField()
    {
        Assert.False(TextRules.TryReadText([], "title", 100, false, false, out _, out var rejection));

        Assert.Equal(RejectReason.InvalidField, rejection.Reason);
    }

    [Fact]
    public void TryReadText_CapIsInBytes_RejectsFieldTooLong()
    {
        // 2 characters, 8 bytes.
        Assert.False(TextRules.TryReadText(Encoding.UTF8.GetBytes("🍅🍅"), "title", 7, false, false, out _, out var rejection));

        Assert.Equal(RejectReason.FieldTooLong, rejection.Reason);
    }

    [Fact]
    public void Check_TextWithAControlCharacter_IsAlwaysInvalidText()
    {
        var controls = Gen.OneOf(
            Gen.Choose(0, 0x1F).Where(c => c is not ('\n' or '\t')),
            Gen.Choose(0x7F, 0x9F),
            Gen.Choose(0x202A, 0x202E),
            Gen.Choose(0x2066, 0x2069));
        var cases = from prefix in ArbMap.Default.GeneratorFor<NonNull<string>>()
                    from control in controls
                    select (prefix.Get, (char)control);
        Prop.ForAll(cases.ToArbitrary(), sample =>
        {
            var (prefix, control) = sample;
            var text = prefix.Replace('\uFFFD', 'x') + control + "tail";
            return TextRules.Check(text, "body", 100_000, multiline: true, allowEmpty: true)?.Reason == RejectReason.InvalidText;
        }).Check(s_config);
    }

    [Fact]
    public void Check_PrintableText_IsAcceptedAndRoundTrips()
    {
        var printable = Gen.Choose(0x20, 0xD7FF)
            .Where(c => c is not ((>= 0x7F and <= 0x9F) or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069)))
            .Select(c => (char)c)
            .ArrayOf()
            .Select(chars => new string(chars));
        Prop.ForAll(printable.ToArbitrary(), text =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return TextRules.TryReadText(bytes, "body", int.MaxValue, false, true, out var read, out _) && read == text;
        }).Check(s_config);
    }

    [Theory]
    [InlineData("gardening", true)]
    [InlineData("g", true)]
    [InlineData("3d-printing", true)]
    [InlineData("a.b_c-d", true)]
    [InlineData("", false)]
    [InlineData("-x", false)]
    [InlineData(".x", false)]
    [InlineData("Gardening", false)]
    [InlineData("jardín", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    public void IsValidCommunity_Name_FollowsTheSlugRule(string name, bool expected)
    {
        Assert.Equal(expected, TextRules.IsValidCommunity(name));
    }

    [Fact]
    public void IsValidCommunity_65Characters_IsFalse()
    {
        Assert.True(TextRules.IsValidCommunity(new string('a', 64)));
        Assert.False(TextRules.IsValidCommunity(new string('a', 65)));
    }
}

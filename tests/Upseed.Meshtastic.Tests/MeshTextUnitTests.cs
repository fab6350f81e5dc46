using System.Text;
using Upseed.MeshText;
using Upseed.Store;

namespace Upseed.Meshtastic.Tests;

public sealed class MeshTextCommandParserTests
{
    [Theory]
    [InlineData("top town week", ListingSort.Top, "town", TopPeriod.Week)]
    [InlineData("Top  Town  Week ", ListingSort.Top, "town", TopPeriod.Week)] // phones capitalise and double spaces
    [InlineData("top week town", ListingSort.Top, "town", TopPeriod.Week)]
    [InlineData("top", ListingSort.Top, null, null)]
    [InlineData("top all", ListingSort.Top, null, TopPeriod.All)]
    [InlineData("new gardening", ListingSort.New, "gardening", null)]
    [InlineData("hot", ListingSort.Hot, null, null)]
    public void Parse_Listing(string text, ListingSort sort, string? community, TopPeriod? period) =>
        Assert.Equal(new ListCommand(sort, community, period), MeshTextCommandParser.Parse(text));

    [Theory]
    [InlineData("show 2", 2, null)]
    [InlineData("read #3", 3, null)]
    [InlineData("read 1A2B3C", null, "1a2b3c")]
    public void Parse_Show(string text, int? index, string? prefix) =>
        Assert.Equal(new ShowCommand(index, prefix), MeshTextCommandParser.Parse(text));

    [Fact]
    public void Parse_Post_KeepsTextAfterCommunity() =>
        Assert.Equal(new PostCommand("town", "Market moved to Sunday\nBring bags."), MeshTextCommandParser.Parse("post Town Market moved to Sunday\nBring bags."));

    [Theory]
    [InlineData("")]
    [InlineData("help")]
    [InlineData("?")]
    public void Parse_Help(string text) => Assert.IsType<HelpCommand>(MeshTextCommandParser.Parse(text));

    [Theory]
    [InlineData("dance")] // unknown verb
    [InlineData("top Town! week")] // not a slug
    [InlineData("top town week extra")] // too many words
    [InlineData("show 0")]
    [InlineData("show 100")]
    [InlineData("read abc")] // too short for an id
    [InlineData("post town")] // no text
    [InlineData("post Tówn hello")] // not ASCII
    public void Parse_Invalid_GivesAReason(string text)
    {
        var invalid = Assert.IsType<InvalidCommand>(MeshTextCommandParser.Parse(text));
        Assert.InRange(Encoding.UTF8.GetByteCount(invalid.Reason), 1, 200);
    }
}

public sealed class ReplyFormatterTests
{
    [Fact]
    public void Truncate_MultiByteText_StaysWithinBytesAndWholeCharacters()
    {
        var text = string.Concat(Enumerable.Repeat("ünïcødé 🌱 ", 40));
        var cut = ReplyFormatter.Truncate(text, 200);
        Assert.InRange(Encoding.UTF8.GetByteCount(cut), 190, 200);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.Equal(cut, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(cut)));
    }

    [Fact]
    public void PackLines_FillsAtMostTwoMessagesInOrder()
    {
        var lines = Enumerable.Range(1, 30).Select(i => $"{i} +{i} a title of some length here").ToList();
        var messages = ReplyFormatter.PackLines(lines, 200, 2);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.InRange(Encoding.UTF8.GetByteCount(m), 1, 200));
        Assert.StartsWith("1 +1 ", messages[0], StringComparison.Ordinal);
        var all = string.Join('\n', messages).Split('\n');
        Assert.Equal(lines.Take(all.Length), all);
    }

    [Fact]
    public void Split_LongText_UsesAllMessagesAndMarksTheCut()
    {
        var messages = ReplyFormatter.Split(new string('x', 1000), 200, 2);
        Assert.Equal(2, messages.Count);
        Assert.Equal(200, Encoding.UTF8.GetByteCount(messages[0]));
        Assert.EndsWith("…", messages[1], StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(messages[1]) <= 200);
    }
}

public sealed class SenderRateLimiterTests
{
    [Fact]
    public void TryAcquire_OverTheLimit_RefusesUntilTheWindowMoves()
    {
        var clock = new FixedClock();
        var limiter = new SenderRateLimiter(3, TimeSpan.FromMinutes(10), clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.TryAcquire(7, out _));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.False(limiter.TryAcquire(7, out var retry));
        Assert.Equal(TimeSpan.FromMinutes(7), retry);
        Assert.True(limiter.TryAcquire(8, out _)); // another radio is not affected
        clock.Advance(TimeSpan.FromMinutes(7));
        Assert.True(limiter.TryAcquire(7, out _));
    }
}

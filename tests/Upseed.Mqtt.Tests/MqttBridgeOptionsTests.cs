using Upseed.Mqtt.Bridge;
using Upseed.Mqtt.Client;
using Upseed.Mqtt.Outbox;

namespace Upseed.Mqtt.Tests;

public sealed class MqttBridgeOptionsTests
{
    [Fact]
    public void Parse_FullUrl_ReadsEveryPart()
    {
        var options = MqttBridgeOptions.Parse("mqtts://al%40ice:p%3Ass@broker.example:8884/org/upseed?ca=/etc/ca.pem&client-id=box1&up=garden,bikes&down=garden&protocol=3.1.1");
        Assert.Equal(new MqttEndpoint("broker.example", 8884, UseTls: true) { CaFile = "/etc/ca.pem" }, options.Endpoint);
        Assert.Equal("al@ice", options.UserName);
        Assert.Equal("p:ss", options.Password);
        Assert.Equal("org/upseed", options.TopicPrefix);
        Assert.Equal("box1", options.ClientId);
        Assert.Equal(["bikes", "garden"], options.UpCommunities.Order());
        Assert.Equal(["garden"], options.DownCommunities);
        Assert.Equal(MqttProtocolPreference.V311, options.Protocol);
        Assert.DoesNotContain("p:ss", options.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqtt://host", 1883, "upseed")]
    [InlineData("mqtts://host", 8883, "upseed")]
    [InlineData("mqtt://host:1999/", 1999, "upseed")]
    public void Parse_Defaults(string url, int port, string prefix)
    {
        var options = MqttBridgeOptions.Parse(url);
        Assert.Equal(port, options.Endpoint.Port);
        Assert.Equal(prefix, options.TopicPrefix);
        Assert.Empty(options.UpCommunities);
        Assert.Null(options.UserName);
    }

    [Theory]
    [InlineData("http://host", "scheme")]
    [InlineData("mqtt://host/a/+/b", "prefix")]
    [InlineData("mqtt://host/a//b", "prefix")]
    [InlineData("mqtt://host?ca=/x.pem", "mqtts")]
    [InlineData("mqtt://host?bogus=1", "unknown parameter")]
    [InlineData("mqtt://host?protocol=6", "protocol")]
    [InlineData("not a url", "expected")]
    public void TryParse_Invalid_SaysWhy(string url, string expected)
    {
        Assert.False(MqttBridgeOptions.TryParse(url, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => MqttBridgeOptions.Parse(url));
    }

    [Fact]
    public void DefaultClientId_IsStableAndWithinTheGuaranteedForm()
    {
        var id = MqttBridgeOptions.DefaultClientId("/data/upseed.db");
        Assert.Equal(id, MqttBridgeOptions.DefaultClientId("/data/upseed.db"));
        Assert.NotEqual(id, MqttBridgeOptions.DefaultClientId("/other/upseed.db"));
        Assert.InRange(id.Length, 1, 23);
        Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
    }

    [Theory]
    [InlineData("garden", "garden")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("x+#", "x%2B%23")]
    [InlineData("É", "%C3%89")]
    public void EncodeCommunity_KeepsSlugsAndEscapesTheRest(string community, string encoded) =>
        Assert.Equal(encoded, MqttTopics.EncodeCommunity(community));

    [Fact]
    public void Filters_EmptyMeansAll_OtherwiseCommunitiesAndGlobal()
    {
        Assert.Equal(["p/#"], MqttTopics.Filters("p", new HashSet<string>()));
        Assert.Equal(["p/c/a/#", "p/c/b/#", "p/g/#"], MqttTopics.Filters("p", new HashSet<string> { "b", "a" }));
    }

    [Fact]
    public void Queue_OwnTablesOnly_PersistsInOrderAndDeletes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "upseed-mqtt-tests", "queue-" + Guid.NewGuid().ToString("N")[..8]);
        var path = Path.Combine(folder, "shared.db");
        try
        {
            using (var store = Upseed.Store.RecordStore.Open(folder, new Upseed.Store.StoreOptions { DatabaseFileName = "shared.db" }))
            {
                store.SetSetting("untouched", "yes");
            }

            using (var queue = SqliteOutboundQueue.Open(path))
            {
                Assert.Equal([true, true, false], queue.EnqueueMany([(new byte[] { 1 }, "t/1", new byte[] { 10 }), (new byte[] { 2 }, "t/2", new byte[] { 20 }), (new byte[] { 1 }, "t/1", new byte[] { 10 })]));
                queue.MarkReceived([new byte[] { 9 }]);
            }

            using (var queue = SqliteOutboundQueue.Open(path))
            {
                Assert.Equal(2, queue.Count);
                var batch = queue.ReadBatch(0, 10);
                Assert.Equal(["t/1", "t/2"], batch.Select(m => m.Topic));
                queue.Delete([batch[0].Sequence]);
                Assert.Equal(1, queue.Count);
                Assert.Equal("t/2", Assert.Single(queue.ReadBatch(0, 10)).Topic);
                Assert.True(queue.WasReceived([9]));
                Assert.False(queue.WasReceived([8]));
            }

            using var reopened = Upseed.Store.RecordStore.Open(folder, new Upseed.Store.StoreOptions { DatabaseFileName = "shared.db" });
            Assert.Equal("yes", reopened.GetSetting("untouched"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using System.Threading.Channels;
using Upseed.Mqtt.Client;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Tests;

/// <summary>A message handler that hands every delivered PUBLISH to the test through a channel.</summary>
internal sealed class CollectingHandler : IMqttMessageHandler
{
    private readonly Channel<PublishPacket> _messages = Channel.CreateUnbounded<PublishPacket>();

    public Func<IReadOnlyList<PublishPacket>, bool>? FailWhen { get; set; }

    public ValueTask HandleAsync(IReadOnlyList<PublishPacket> messages, CancellationToken cancellationToken)
    {
        if (FailWhen?.Invoke(messages) == true)
        {
            throw new InvalidOperationException("The test handler refused the batch.");
        }

        foreach (var message in messages)
        {
            _messages.Writer.TryWrite(message);
        }

        return ValueTask.CompletedTask;
    }

    public async Task<PublishPacket> NextAsync(TimeSpan? timeout = null) =>
        await _messages.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    public bool TryNext(out PublishPacket? message) => _messages.Reader.TryRead(out message);
}

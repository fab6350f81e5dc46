using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Meshtastic;
using Upseed.Meshtastic.Link;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.MeshText;

/// <summary>
/// Serves plain Meshtastic users: reads text messages sent directly to the box's radio (TEXT_MESSAGE_APP addressed
/// to its node number; channel chatter and broadcasts are ignored), answers each through
/// <see cref="MeshTextCommandHandler"/>, and sends the replies back to the sender as direct text messages on the
/// channel the message came in on. Works against any <see cref="IMeshtasticLink"/>.
/// </summary>
public sealed partial class MeshTextBridge
{
    private const int MaxCommandBytes = 233;

    private readonly IMeshtasticLink _link;
    private readonly MeshTextCommandHandler _handler;
    private readonly MeshTextOptions _options;
    private readonly ILogger _logger;
    private long _commandsAnswered;
    private long _messagesIgnored;
    private long _messagesHandled;

    public MeshTextBridge(IMeshtasticLink link, RecordStore store, MeshTextOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        _link = link;
        _options = options ?? MeshTextOptions.Default;
        _handler = new MeshTextCommandHandler(store, _options, timeProvider);
        _logger = logger ?? NullLogger.Instance;
    }

    public MeshTextCommandHandler Handler => _handler;

    /// <summary>Direct messages answered (a rate-limited one that got no reply does not count).</summary>
    public long CommandsAnswered => Interlocked.Read(ref _commandsAnswered);

    /// <summary>Text messages not meant for the box (broadcasts, other nodes, not UTF-8, too long).</summary>
    public long MessagesIgnored => Interlocked.Read(ref _messagesIgnored);

    /// <summary>Text messages read from the link, answered or not.</summary>
    public long MessagesHandled => Interlocked.Read(ref _messagesHandled);

    /// <summary>Answers direct messages until cancelled. The subscription is taken before this returns its task.</summary>
    /// <exception cref="OperationCanceledException">Never: cancellation ends the loop normally.</exception>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var subscription = _link.Subscribe(MeshtasticPortNumbers.TextMessage);
        return RunAsync(subscription, cancellationToken);
    }

    private async Task RunAsync(MeshtasticSubscription subscription, CancellationToken cancellationToken)
    {
        using (subscription)
        {
            try
            {
                while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (subscription.Reader.TryRead(out var packet))
                    {
                        try
                        {
                            await HandleAsync(packet, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            Interlocked.Increment(ref _messagesHandled);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping.
            }
        }
    }

    private async Task HandleAsync(MeshtasticPacket packet, CancellationToken cancellationToken)
    {
        if (!_link.TryGetRadio(out var radio) || packet.To != radio!.MyNodeNumber || packet.From == radio.MyNodeNumber)
        {
            Interlocked.Increment(ref _messagesIgnored);
            return;
        }

        if (packet.Payload.Length > MaxCommandBytes || !TryDecodeUtf8(packet.Payload.Span, out var text))
        {
            Interlocked.Increment(ref _messagesIgnored);
            return;
        }

        radio.Nodes.TryGetValue(packet.From, out var node);
        IReadOnlyList<string> replies;
        try
        {
            // Proof of work for a post takes a while; it runs off the link's threads.
            replies = await Task.Run(() => _handler.Handle(packet.From, text, node?.LongName, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or Microsoft.Data.Sqlite.SqliteException or RecordRejectedException)
        {
            // The store or a key file failed: the person gets a short answer, the admin the details.
            var nodeId = MeshtasticNodeNumber.ToNodeId(packet.From);
            LogCommandFailed(nodeId, ex.Message);
            replies = ["Sorry, the box could not do that right now."];
        }

        if (replies.Count == 0)
        {
            return;
        }

        foreach (var reply in replies)
        {
            var result = await _link.SendAsync(
                new MeshtasticOutgoingPacket
                {
                    Payload = Encoding.UTF8.GetBytes(reply),
                    To = packet.From,
                    Channel = packet.Channel,
                    PortNumber = MeshtasticPortNumbers.TextMessage,
                    WantAck = _options.ReplyWantAck,
                    ReplyId = packet.Id,
                },
                cancellationToken).ConfigureAwait(false);
            if (!result.IsSent)
            {
                var nodeId = MeshtasticNodeNumber.ToNodeId(packet.From);
                LogReplyNotSent(nodeId, result.Status);
                return;
            }
        }

        Interlocked.Increment(ref _commandsAnswered);
    }

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mesh text command from {NodeId} failed: {Reason}")]
    private partial void LogCommandFailed(string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mesh text reply to {NodeId} not sent: {Status}")]
    private partial void LogReplyNotSent(string nodeId, MeshtasticSendStatus status);
}

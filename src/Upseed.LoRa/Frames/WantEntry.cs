namespace Upseed.LoRa.Frames;

/// <summary>
/// A request for a message by id: the fragments wanted as a bit mask (bit i = fragment i), or
/// <see cref="WholeMessage"/> when the requester has none of it and does not know the fragment count.
/// </summary>
public readonly record struct WantEntry(uint MessageId, ushort MissingFragments)
{
    public const ushort WholeMessage = 0xFFFF;
}

namespace Upseed.LoRa.Frames;

/// <summary>A message being reassembled, as a repair request needs it: which fragments are missing, since when.</summary>
public readonly record struct PartialMessage(uint MessageId, int Count, ushort MissingFragments, int Hops, DateTimeOffset LastFragmentAt);

using Upseed.Meshtastic.Protobufs;

namespace Upseed.Meshtastic.Link;

/// <summary>One of the radio's channels (no key material: the PSK stays in the radio).</summary>
public sealed record MeshtasticChannelInfo(int Index, string Name, Channel.Types.Role Role);

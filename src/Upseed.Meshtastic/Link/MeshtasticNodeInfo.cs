namespace Upseed.Meshtastic.Link;

/// <summary>A node in the radio's node database, as its <c>NodeInfo.user</c> names it.</summary>
public sealed record MeshtasticNodeInfo(uint Number, string? UserId, string? LongName, string? ShortName, uint LastHeard);

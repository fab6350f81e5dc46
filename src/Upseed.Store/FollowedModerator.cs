namespace Upseed.Store;

/// <summary>A moderator followed by hand: its labels hide and unseed records here (in one community, or all when null).</summary>
public sealed record FollowedModerator(ReadOnlyMemory<byte> Key, string? Community, long Since);

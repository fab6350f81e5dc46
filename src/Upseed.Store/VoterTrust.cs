namespace Upseed.Store;

/// <summary>Why a voter's vote weighs what it does here.</summary>
public enum TrustLevel
{
    /// <summary>Neither a member, followed, nor upvoted by a member: reduced weight (<see cref="TrustWeight.Unknown"/>).</summary>
    Unknown,
    /// <summary>Upvoted by a member of this box: full weight.</summary>
    UpvotedByMember,
    /// <summary>Followed by this box: full weight.</summary>
    Followed,
    /// <summary>A key in this data folder: full weight.</summary>
    Member,
    /// <summary>Blocked here: weight 0.</summary>
    Blocked,
}

/// <summary>A voter's trust on this box: the level and the weight it gives, in millionths (<see cref="TrustWeight.Scale"/>).</summary>
public sealed record VoterTrust(ReadOnlyMemory<byte> Key, TrustLevel Level, long Weight)
{
    /// <summary>The weight as a fraction of a full vote.</summary>
    public double Votes => TrustWeight.ToVotes(Weight);
}

namespace Upseed.LoRa.Airtime;

/// <summary>Who goes first when airtime is short (issue 8: own posts, then votes, then relayed records).</summary>
public enum TransmitPriority
{
    /// <summary>This box's own posts, comments and other records.</summary>
    OwnRecord = 0,
    /// <summary>This box's own votes.</summary>
    OwnVote = 1,
    /// <summary>Records relayed for others, repairs answered for neighbours, and repair requests.</summary>
    Relayed = 2,
    /// <summary>Have digests: kept under <see cref="AirtimeSchedulerOptions.BackgroundShare"/> of the allowance.</summary>
    Background = 3,
}

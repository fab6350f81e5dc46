namespace Upseed.LoRa.Mesh;

/// <summary>Whether a record goes on air, and if not, why.</summary>
public enum OnAirDecision
{
    Allowed,
    /// <summary>The policy does not carry this kind of record.</summary>
    KindNotCarried,
    /// <summary>The policy does not carry this community (or the record belongs to none).</summary>
    CommunityNotCarried,
    /// <summary>The policy carries posts but not comments.</summary>
    CommentsNotCarried,
    /// <summary>Created longer ago than the policy's maximum age: old records stay off the air.</summary>
    TooOld,
    /// <summary>More frames than the policy allows one record (or than a frame header can count).</summary>
    TooLarge,
    /// <summary>No frame fits the region's dwell limit with this modem preset.</summary>
    NoAirtime,
}

namespace Upseed.LoRa.Frames;

/// <summary>What a frame carries (high nibble of its first byte). 0 and 8-15 are unassigned: noise, or a newer node.</summary>
public enum MeshFrameType
{
    /// <summary>One fragment of a compact record; the low nibble is the remaining hop budget.</summary>
    RecordFragment = 1,
    /// <summary>A digest of recent record ids a box holds, so neighbours can ask for what they miss.</summary>
    Have = 2,
    /// <summary>A request for records, or for some fragments of one, by message id.</summary>
    Want = 3,
}

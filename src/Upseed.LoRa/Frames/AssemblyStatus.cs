namespace Upseed.LoRa.Frames;

/// <summary>What adding one fragment did.</summary>
public enum AssemblyStatus
{
    /// <summary>The fragment completed its message, which is returned.</summary>
    Completed,
    /// <summary>Stored; more fragments are needed.</summary>
    Pending,
    /// <summary>The message was completed before (or this fragment was already held): nothing to do.</summary>
    Duplicate,
    /// <summary>The fragment disagrees with the ones held (another fragment count): the partial message was restarted with it.</summary>
    Restarted,
    /// <summary>Not a record fragment.</summary>
    NotAFragment,
}
